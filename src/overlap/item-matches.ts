/** Per-item match bookkeeping during a scan: which n-grams matched, and where, in corpus order. */
import type { Word } from './normalise.js';
import { MAX_LOCATIONS, type MatchSpan } from './types.js';

export class ItemMatches {
  readonly matched = new Set<number>();
  windows = 0;
  spanCount = 0;
  readonly spans: MatchSpan[] = [];

  /** Adds one record's matched windows (`starts` ascending) as spans of overlapping windows. */
  addRecord(starts: readonly number[], ks: readonly number[], ws: readonly Word[], n: number, where: { file: string; line: number; record: number; textLines: boolean }): void {
    ks.forEach((k) => this.matched.add(k));
    this.windows += starts.length;
    let first = starts[0];
    let last = starts[0];
    let count = 1;
    const close = () => {
      this.spanCount += 1;
      if (this.spans.length >= MAX_LOCATIONS) return;
      this.spans.push({
        file: where.file,
        line: where.line + (where.textLines ? ws[first].lineDelta : 0),
        record: where.record,
        offset: ws[first].offset,
        end: ws[last + n - 1].end,
        windows: count,
      });
    };
    for (const at of starts.slice(1)) {
      if (at - last < n) {
        last = at;
        count += 1;
        continue;
      }
      close();
      first = at;
      last = at;
      count = 1;
    }
    close();
  }
}
