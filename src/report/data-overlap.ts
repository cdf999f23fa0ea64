/**
 * The data side (`contam audit --overlap`) in report.md and the plain summary: per benchmark, the
 * share of its items a `contam overlap` scan found in the training corpus, with the Wilson interval
 * and how much of the benchmark was checkable, beside the model side's share.
 */
import type { AuditResults, BenchmarkResult } from '../audit/types.js';
import { displayPath, share, withInterval } from './format.js';
import { escapeCell, plainText, truncate } from './escape.js';

export function hasDataOverlap(results: AuditResults): boolean {
  return results.benchmarks.some((b) => b.dataOverlap !== undefined);
}

/** "0.02 [0.01, 0.05], 3 of 150 found; 150 of 172 checkable (0.87)", or "not scanned". */
export function dataOverlapText(b: BenchmarkResult): string {
  const d = b.dataOverlap;
  if (!d) return '';
  if (!d.scanned) return 'not scanned';
  const probes = d.probes ? `; substring probes: ${d.probes.found} found, ${withInterval(d.probes.share, d.probes.interval)}` : '';
  return `${withInterval(d.share, d.interval)}, ${d.found} of ${d.checkable} found; ${d.checkable} of ${d.items} checkable (${share(d.coverage)})${probes}`;
}

/** The model side's headline number: the primary detector's share with its interval. */
function modelSide(b: BenchmarkResult): string {
  const d = b.detectors.find((x) => x.detector === b.verdict.detector);
  return d ? withInterval(d.contamination, d.interval) : 'no samples scored';
}

/** Notes under report.md's headline table; empty without --overlap. */
export function dataOverlapNotes(results: AuditResults): string[] {
  const files = [...new Set(results.benchmarks.flatMap((b) => (b.dataOverlap ? [b.dataOverlap.file] : [])))];
  const scanned = results.benchmarks.flatMap((b) => (b.dataOverlap?.scanned ? [b.dataOverlap] : []));
  if (files.length === 0) return [];
  const n = scanned[0]?.ngram;
  return [
    `- Training data row: from **${files.map((f) => escapeCell(displayPath(f))).join(', ')}** (contam overlap). Share of the benchmark's checkable items ` +
      `found in the training corpus${n ? ` (any ${n}-gram, lm-eval's decontamination rule)` : ''}, with its 95% Wilson interval; checkable items are those ` +
      'long enough to have an n-gram, so the coverage says how much of the benchmark the scan could see at all. "not scanned": the overlap file has no benchmark of that name.',
  ];
}

/** The headline table's extra row; its cells are numbers and fixed words only, so nothing needs escaping. */
export function dataOverlapRow(results: AuditResults): string[] {
  return ['Training data (contam overlap: share of items found)', ...results.benchmarks.map((b) => dataOverlapText(b) || 'not scanned')];
}

/** Plain end-of-run lines, one per benchmark: data side beside model side. */
export function dataOverlapSummaryLines(results: AuditResults): string[] {
  if (!hasDataOverlap(results)) return [];
  return results.benchmarks.map((b) => {
    const name = truncate(plainText(b.name), 32);
    const file = b.dataOverlap ? displayPath(b.dataOverlap.file) : '';
    return `${name}: training data (${plainText(file)}): ${plainText(dataOverlapText(b) || 'not scanned')}; model side ${modelSide(b)}`;
  });
}
