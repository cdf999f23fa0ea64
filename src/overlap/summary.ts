/** The end-of-run summary `contam overlap` prints on stdout (progress: ui/overlap/). */
import { share, withInterval } from '../report/format.js';
import type { OverlapResults } from './types.js';

export function overlapSummaryLines(r: OverlapResults, written: readonly string[]): string[] {
  const lines = r.benchmarks.flatMap((b) => [
    `${b.benchmark} (${b.checked.join(' + ')}): ${b.found} of ${b.checkable} checkable items found, share ${withInterval(b.share.estimate, b.share)}; ` +
      `${b.checkable} of ${b.items} items checkable (${share(b.items > 0 ? b.checkable / b.items : NaN)}), ${b.partial} partly matched`,
    ...(b.probes
      ? [`${b.benchmark} substring probes (${b.probes.perItem} per item): ${b.probes.found} of ${b.probes.items} items found, share ${withInterval(b.probes.share.estimate, b.probes.share)}; ` +
          `${b.probes.onlyProbes} only by probes, ${b.probes.onlyNgrams} only by n-grams`]
      : []),
  ]);
  const c = r.corpus;
  lines.push(`corpus: ${c.records} records, ${c.recordsWithMatches} with a benchmark ${r.convention.ngram}-gram, ${c.badRecords.count} bad`);
  if (c.taskFilter) lines.push(`dropped tasks (${c.taskFilter.source}): ${c.taskFilter.recordsDropped} records`);
  lines.push(`wrote ${written.join(', ')}`);
  return lines;
}
