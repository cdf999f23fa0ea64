/**
 * Overlap progress as plain lines for CI and a non-TTY stderr: a line at each 10% of the corpus on
 * disk, and at least every `everySeconds` in between (a slow corpus still shows signs of life), so
 * a log holds about a dozen lines whatever the corpus' size. No Ink, no React.
 */
import type { ScanProgress } from '../../overlap/scan.js';
import { progressFigures, progressLine } from './progress-figures.js';

export interface PlainProgressOptions {
  /** Seconds between lines when no 10% mark is crossed; default 30. */
  readonly everySeconds?: number;
}

export function createPlainProgress(write: (line: string) => void, totalBytes: number, options: PlainProgressOptions = {}): (p: ScanProgress) => void {
  const every = options.everySeconds ?? 30;
  let milestone = 0;
  let lastSeconds = 0;
  return (p) => {
    const figures = progressFigures(p, totalBytes);
    const mark = Math.floor(figures.fraction * 10);
    if (mark <= milestone && p.seconds - lastSeconds < every) return;
    milestone = Math.max(milestone, mark);
    lastSeconds = p.seconds;
    write(progressLine(figures));
  };
}
