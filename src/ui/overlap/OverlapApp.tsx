import { useEffect, useState } from 'react';
import type { ProgressFeed } from './progress-feed.js';
import { OverlapProgress } from './OverlapProgress.js';
import { progressFigures } from './progress-figures.js';

export interface OverlapAppProps {
  /** The scan's reports; pass a stable value: a new one re-subscribes. */
  readonly feed: ProgressFeed;
  readonly header: string;
  /** The corpus' size on disk, for the bar and the ETA. */
  readonly totalBytes: number;
}

/** Re-renders on each report of the scan; nothing to press (Ctrl-C stops the process as it does without a frame). */
export function OverlapApp({ feed, header, totalBytes }: OverlapAppProps) {
  const [state, setState] = useState(feed.latest);
  useEffect(() => {
    setState(feed.latest());
    return feed.subscribe(() => setState(feed.latest()));
  }, [feed]);
  const figures = state.progress ? progressFigures(state.progress, totalBytes) : undefined;
  return <OverlapProgress header={header} figures={figures} done={state.done} />;
}
