/**
 * The interactive path's only entry into Ink and React: the CLI loads it with `await import()`
 * only on an interactive terminal outside CI, so the plain and JSON paths never load either.
 */
import { render } from 'ink';
import { AuditApp } from './AuditApp.js';
import type { AuditEventSource } from './use-audit-events.js';

export type { AuditEventSource } from './use-audit-events.js';
export { createEventQueue, type EventQueue } from './event-queue.js';

export interface RenderInteractiveOptions {
  /** Ctrl-C (press count given): stop the audit safely and keep partial results. */
  readonly onCancel: (presses: number) => void;
  /** `q` after the audit is done; the dashboard unmounts itself right after. */
  readonly onExit?: () => void;
  /** Streams, for tests or a non-default terminal; default process.stdin/stdout/stderr. */
  readonly stdin?: NodeJS.ReadStream;
  readonly stdout?: NodeJS.WriteStream;
  readonly stderr?: NodeJS.WriteStream;
}

export interface InteractiveHandle {
  /** Resolves when the dashboard has unmounted (after `q`, or after unmount()). */
  readonly waitUntilExit: () => Promise<void>;
  /** Closes the dashboard from the outside, e.g. after a cancelled audit wrote its reports. */
  readonly unmount: () => void;
}

export function renderInteractive(events: AuditEventSource, options: RenderInteractiveOptions): InteractiveHandle {
  const exit = (): void => {
    options.onExit?.();
    instance.unmount();
  };
  const instance = render(<AuditApp events={events} onCancel={options.onCancel} onExit={exit} />, {
    // Ctrl-C is ours: the audit must stop cleanly and write partial reports, not die mid-write.
    exitOnCtrlC: false,
    // console.* output (ours or a library's) goes above the frame instead of tearing it.
    patchConsole: true,
    // Ink spreads its options over the defaults: an explicit `undefined` would erase process.stdout.
    ...(options.stdin ? { stdin: options.stdin } : {}),
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stderr ? { stderr: options.stderr } : {}),
  });
  return {
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    unmount: () => instance.unmount(),
  };
}
