/**
 * Counts, times, scores and column fitting for the dashboard and the plain logger. Shares,
 * intervals and differences are written by report/format.ts (0.28 [0.18, 0.38], as Table 9 prints
 * them), so the terminal, the CI log and report.md print one number one way. Pure; no terminal knowledge.
 */
import { formatDuration, truncate } from '../util/text.js';

/** One truncate and one duration format for the dashboard and the reports (util/text.ts). */
export { formatDuration, truncate };

/** 1234 -> "1.2k", 2_500_000 -> "2.5M"; small counts stay exact. */
export function formatCount(value: number): string {
  if (value < 1000) return String(value);
  if (value < 1_000_000) return `${(value / 1000).toFixed(value < 10_000 ? 1 : 0)}k`;
  return `${(value / 1_000_000).toFixed(1)}M`;
}


/** A score with a sensible number of digits for its size. */
export function formatScore(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 100_000)) return value.toExponential(2);
  return value.toFixed(abs >= 100 ? 1 : 3);
}


/** Pads (or truncates) to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = truncate(text, width);
  const pad = ' '.repeat(Math.max(0, width - Array.from(cut).length));
  return align === 'left' ? cut + pad : pad + cut;
}

/** A neighbour rank s in [0, 1]; `≥` when early stopping left it a lower bound. */
export function formatRank(value: number | undefined, exact = true): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${exact ? '' : '≥'}${value.toFixed(3)}`;
}
