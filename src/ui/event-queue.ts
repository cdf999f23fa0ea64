/**
 * A buffered AsyncIterable of audit events, so the producer (the audit) and the consumer (the
 * dashboard) need not start in a particular order: events pushed before the UI subscribes are
 * kept, not lost. Single consumer.
 */
import type { AuditEvent } from '../audit/types.js';

export interface EventQueue extends AsyncIterable<AuditEvent> {
  /** Hand to the audit as its event callback. Ignored after close(). */
  readonly push: (event: AuditEvent) => void;
  /** Ends the iteration once the buffered events are drained. */
  readonly close: () => void;
}

export function createEventQueue(): EventQueue {
  const buffer: AuditEvent[] = [];
  let closed = false;
  let wake: (() => void) | undefined;

  const signal = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  return {
    push(event) {
      if (closed) return;
      buffer.push(event);
      signal();
    },
    close() {
      closed = true;
      signal();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (buffer.length > 0) yield buffer.shift() as AuditEvent;
        if (closed) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}
