/**
 * Wilcoxon signed-rank test for paired samples, normal approximation (as scipy.stats.wilcoxon with
 * zero_method='wilcox', correction=False, method='asymptotic'): zero differences are dropped, tied
 * |differences| get average ranks, and the variance is reduced by sum(t^3 - t)/48 over tie groups.
 * Used to compare per-sample ranks of target and control over the same neighbours.
 */
import { normalCdf } from './normal.js';

export type Alternative = 'two-sided' | 'greater' | 'less';

export interface SignedRankResult {
  /** W+: the sum of ranks of positive differences x - y. */
  readonly statistic: number;
  /** Non-zero differences used. */
  readonly n: number;
  readonly zeros: number;
  readonly z: number;
  readonly pValue: number;
  readonly alternative: Alternative;
}

/** Pairs with a NaN on either side (errored samples) are skipped. */
export function wilcoxonSignedRank(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
): SignedRankResult {
  if (x.length !== y.length) throw new Error(`wilcoxonSignedRank: ${x.length} x values but ${y.length} y values`);
  const diffs: number[] = [];
  let zeros = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    if (Number.isNaN(d)) continue;
    if (d === 0) zeros++;
    else diffs.push(d);
  }
  const n = diffs.length;
  // No non-zero difference: no evidence of a shift either way.
  if (n === 0) return { statistic: 0, n, zeros, z: NaN, pValue: 1, alternative };
  const order = diffs.map((d, i) => ({ abs: Math.abs(d), positive: d > 0, i })).sort((a, b) => a.abs - b.abs);
  let wPlus = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && order[end + 1].abs === order[start].abs) end++;
    const t = end - start + 1;
    const rank = (start + end) / 2 + 1;
    for (let j = start; j <= end; j++) if (order[j].positive) wPlus += rank;
    tieTerm += t * t * t - t;
    start = end + 1;
  }
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  const z = (wPlus - mean) / Math.sqrt(variance);
  const pValue =
    alternative === 'greater' ? 1 - normalCdf(z) : alternative === 'less' ? normalCdf(z) : Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { statistic: wPlus, n, zeros, z, pValue, alternative };
}
