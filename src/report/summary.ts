/**
 * The end-of-run plain summary (non-TTY, CI logs): a pure function returning lines, so the CLI only
 * prints them and tests assert them without a terminal (promptfoo's pattern). Benchmark and detector
 * names are user text: control characters are made visible so an ESC in a name cannot drive the terminal.
 */
import type { AuditResults } from '../audit/types.js';
import { plainText, truncate } from './escape.js';
import { share, signed, verdictWord, withInterval } from './format.js';
import { dataOverlapSummaryLines } from './data-overlap.js';

const HEADER = ['benchmark', 'detector', 'contamination [95% CI]', 'control', 'target - control [95% CI]', 'verdict', 'upstream reading'] as const;

export function summaryLines(results: AuditResults): string[] {
  const rows: string[][] = [];
  for (const bench of results.benchmarks) {
    const name = truncate(plainText(bench.name), 32);
    if (bench.detectors.length === 0) rows.push([name, '-', 'no samples scored', '-', '-', '-', '-']);
    for (const d of bench.detectors) {
      const primary = d.detector === bench.verdict.detector ? '*' : '';
      const diff = Number.isNaN(d.difference.value) ? '-' : `${signed(d.difference.value)} [${signed(d.difference.low)}, ${signed(d.difference.high)}]`;
      rows.push([name, truncate(plainText(d.detector), 24) + primary, withInterval(d.contamination, d.interval), share(d.control.contamination), diff, verdictWord(d.verdict), verdictWord(d.absoluteVerdict)]);
    }
  }
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => Array.from(r[i]).length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i] - Array.from(c).length))).join('  ');

  const lines: string[] = [];
  if (results.partial) {
    const planned = results.benchmarks.reduce((n, b) => n + b.samplesPlanned, 0);
    const scored = results.benchmarks.reduce((n, b) => n + b.samplesScored, 0);
    lines.push(`PARTIAL RUN: ${scored} of ${planned} planned samples scored; numbers cover only those.`);
  }
  lines.push(line(HEADER), ...rows.map(line));
  const errors = results.benchmarks.reduce((n, b) => n + b.errors, 0);
  if (errors > 0) lines.push(`${errors} sample error(s), counted in the report.`);
  const { thresholds, margins, mode, cut } = results.config;
  const rule = mode === 'compat'
    ? `verdict = upstream reading (compat mode): share above ${share(thresholds.suspicious)} suspicious, above ${share(thresholds.contaminated)} contaminated`
    : `verdict = target vs control (fixed mode): contaminated when significant and the interval clears +${share(margins.contaminated)}, ` +
      `suspicious when significant but smaller${margins.suspicious > 0 ? ` (at least +${share(margins.suspicious)})` : ''}; upstream reading = share above ${share(thresholds.suspicious)} / ${share(thresholds.contaminated)}`;
  lines.push(
    `share of samples with neighbour rank s < ${cut}; * = primary detector (the benchmark's verdict); control = reference model in the target's seat.`,
    `${rule}.`,
  );
  for (const bench of results.benchmarks) {
    lines.push(`${truncate(plainText(bench.name), 32)}: ${verdictWord(bench.verdict.verdict)} (${truncate(plainText(bench.verdict.detector), 24)}): ${plainText(bench.verdict.reason)}`);
  }
  lines.push(...dataOverlapSummaryLines(results));
  return lines;
}
