/**
 * The overlap frame's only entry into Ink and React: the CLI imports it with `await import()` only
 * when stderr is a terminal outside CI and without --json, so the plain path never loads either.
 * It draws on stderr, where the plain progress lines go, so stdout keeps only the summary.
 */
import { render } from 'ink';
import { OverlapApp } from './OverlapApp.js';
import type { ProgressFeed } from './progress-feed.js';

export { createProgressFeed, type ProgressFeed } from './progress-feed.js';

export interface OverlapFrame {
  /** Shows the final figures, then leaves the frame on the terminal. */
  readonly close: () => Promise<void>;
}

export function renderOverlapProgress(feed: ProgressFeed, header: string, totalBytes: number, stream: NodeJS.WriteStream = process.stderr): OverlapFrame {
  const instance = render(<OverlapApp feed={feed} header={header} totalBytes={totalBytes} />, {
    stdout: stream,
    // Nothing is read from the keyboard: Ctrl-C stays the terminal's SIGINT and ends the process.
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    close: async () => {
      feed.finish();
      // One tick for the final frame to render before unmounting.
      await new Promise((done) => setTimeout(done, 0));
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
