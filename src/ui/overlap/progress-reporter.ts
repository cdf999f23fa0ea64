/**
 * Where `contam overlap` shows its progress, as `contam audit` decides: an Ink frame on an
 * interactive terminal outside CI, plain lines otherwise, nothing live with --json. The frame draws
 * on stderr, so only stderr need be a terminal; Ink loads only on that path.
 */
import type { ScanProgress } from '../../overlap/scan.js';
import { createPlainProgress } from './plain-progress.js';

export interface ProgressReporter {
  readonly onProgress?: (progress: ScanProgress) => void;
  /** After the scan: the frame shows its final figures and is left on the terminal. */
  readonly close: () => Promise<void>;
}

export interface ReporterOptions {
  readonly json: boolean;
  /** A frame only when writing to the real stderr (tests pass their own writer). */
  readonly interactive: boolean;
  readonly write: (line: string) => void;
  readonly header: string;
  readonly totalBytes: number;
}

export function interactiveStderr(): boolean {
  return process.stderr.isTTY === true && !process.env.CI;
}

export async function progressReporter(options: ReporterOptions): Promise<ProgressReporter> {
  if (options.json) return { close: async () => {} };
  if (!options.interactive) {
    options.write(`overlap: ${options.header}`);
    return { onProgress: createPlainProgress(options.write, options.totalBytes), close: async () => {} };
  }
  const { createProgressFeed, renderOverlapProgress } = await import('./render-overlap.js');
  const feed = createProgressFeed();
  const frame = renderOverlapProgress(feed, options.header, options.totalBytes);
  return { onProgress: (p) => feed.push(p), close: () => frame.close() };
}
