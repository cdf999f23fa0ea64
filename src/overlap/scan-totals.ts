/**
 * Chunk results added up in corpus order into scan.ts's ScanResult. Because chunks are applied in
 * the order of the corpus, spans, bad-record examples and the manifest come out in the order the
 * single-thread scan produces them, and counts are plain sums.
 */
import type { ChunkResult } from './chunk-scan.js';
import { ItemMatches } from './item-matches.js';
import type { ScanResult } from './scan.js';
import { MAX_BAD_EXAMPLES, MAX_LOCATIONS, type BadRecord } from './types.js';

export class ScanTotals {
  readonly matches = new Map<number, ItemMatches>();
  readonly dropped: Record<string, number>;
  readonly badFirst: BadRecord[] = [];
  badCount = 0;
  records = 0;
  bytes = 0;
  recordsWithMatches = 0;
  recordsDropped = 0;

  constructor(taskNames: readonly string[]) {
    this.dropped = Object.fromEntries(taskNames.map((n) => [n, 0]));
  }

  apply(r: ChunkResult): void {
    this.records += r.records;
    this.bytes += r.bytes;
    this.recordsWithMatches += r.recordsWithMatches;
    this.recordsDropped += r.recordsDropped;
    this.badCount += r.badCount;
    for (const bad of r.badFirst) if (this.badFirst.length < MAX_BAD_EXAMPLES) this.badFirst.push(bad);
    for (const [name, count] of Object.entries(r.dropped)) this.dropped[name] += count;
    for (const h of r.hits) {
      let m = this.matches.get(h.item);
      if (!m) this.matches.set(h.item, (m = new ItemMatches()));
      // ItemMatches.addRecord's effect, from the record's own ItemMatches computed in the worker.
      for (const k of h.ks) m.matched.add(k);
      m.windows += h.windows;
      m.spanCount += h.spanCount;
      for (const span of h.spans) if (m.spans.length < MAX_LOCATIONS) m.spans.push(span);
    }
  }

  result(seconds: number): ScanResult {
    const { matches, records, bytes, recordsWithMatches, badCount, badFirst, recordsDropped, dropped } = this;
    return { matches, records, bytes, recordsWithMatches, badCount, badFirst, recordsDropped, dropped, seconds };
  }
}
