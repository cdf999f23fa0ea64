/** A clock that re-renders every `intervalMs` while `active`, for the elapsed and ETA columns. */
import { useEffect, useState } from 'react';

export function useNow(clock: () => number, intervalMs: number, active: boolean): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    if (!active || intervalMs <= 0) return;
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs, active]);
  return now;
}
