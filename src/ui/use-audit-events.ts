/**
 * Feeds an audit's events into the reducer. The source is either an AsyncIterable (e.g.
 * createEventQueue(), which buffers events sent before the UI mounted) or a subscribe function
 * returning an unsubscribe (events emitted before the effect runs are missed: subscribe-then-start).
 */
import { useEffect, useReducer } from 'react';
import type { AuditEvent } from '../audit/types.js';
import { errorMessage } from '../errors.js';
import { initialUiState, reduce, type UiState } from './state.js';

export type AuditEventSource =
  | AsyncIterable<AuditEvent>
  | ((listener: (event: AuditEvent) => void) => () => void);

interface Action {
  readonly event: AuditEvent;
  /** Read when the event arrived, so the reducer itself stays pure. */
  readonly now: number;
}

function reducer(state: UiState, action: Action): UiState {
  return reduce(state, action.event, action.now);
}

export function useAuditEvents(source: AuditEventSource, clock: () => number): UiState {
  const [state, dispatch] = useReducer(reducer, initialUiState);
  useEffect(() => {
    const send = (event: AuditEvent): void => dispatch({ event, now: clock() });
    if (typeof source === 'function') return source(send);
    let stopped = false;
    const iterator = source[Symbol.asyncIterator]();
    void (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (stopped || next.done) return;
          send(next.value);
        }
      } catch (error) {
        // The audit reports its own failure to the CLI; the screen only says the feed stopped.
        if (!stopped) send({ type: 'warning', message: `event stream failed: ${errorMessage(error)}` });
      }
    })();
    return () => {
      stopped = true;
      void iterator.return?.();
    };
  }, [source, clock]);
  return state;
}
