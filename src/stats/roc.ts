/**
 * Labelled evaluation of a detector (members vs non-members, higher score = member), as reported by
 * Min-K% Prob, Min-K%++ and MIMIR (detection-methods.md §2-§4): AUROC with a bootstrap interval,
 * TPR at low FPR and FPR at 95% TPR.
 * NaN scores (errored samples) are dropped before anything is computed.
 */
import { sampleWithReplacement, wilcoxonRankSum } from 'simple-statistics';
import { percentileInterval, type BootstrapOptions, type Interval } from './bootstrap.js';
import { seededRandom } from '../util/random.js';

export interface RocPoint {
  /** Members are predicted for scores >= threshold. */
  readonly threshold: number;
  readonly fpr: number;
  readonly tpr: number;
}

const finite = (xs: readonly number[]): number[] => xs.filter((x) => !Number.isNaN(x));

/**
 * P(member score > non-member score) + 0.5 P(equal): the Mann-Whitney U over n1·n2, from
 * simple-statistics' rank sum (average ranks for ties): AUROC = (W - n1(n1+1)/2) / (n1 n2).
 * NaN when either class is empty.
 */
export function auroc(members: readonly number[], nonMembers: readonly number[]): number {
  const m = finite(members);
  const u = finite(nonMembers);
  if (m.length === 0 || u.length === 0) return NaN;
  const w = wilcoxonRankSum(m, u);
  return (w - (m.length * (m.length + 1)) / 2) / (m.length * u.length);
}

/**
 * Every distinct score is a threshold (sklearn's roc_curve with drop_intermediate=False), from
 * (0, 0) at +Infinity down to (1, 1). Keeping all points matters for the low-FPR reads below.
 */
export function rocCurve(members: readonly number[], nonMembers: readonly number[]): RocPoint[] {
  const scored = [...finite(members).map((s) => ({ s, member: true })), ...finite(nonMembers).map((s) => ({ s, member: false }))];
  scored.sort((a, b) => b.s - a.s);
  const p = scored.filter((x) => x.member).length;
  const n = scored.length - p;
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < scored.length; i++) {
    if (scored[i].member) tp++;
    else fp++;
    if (i + 1 < scored.length && scored[i + 1].s === scored[i].s) continue;
    points.push({ threshold: scored[i].s, fpr: n ? fp / n : NaN, tpr: p ? tp / p : NaN });
  }
  return points;
}

/**
 * TPR at the last ROC point with FPR <= bound (Min-K%++'s `<=`; MIMIR uses `<`, which reads 0 at an
 * FPR bound the data hit exactly). TPR never decreases along the curve, so this is the best TPR
 * achievable without exceeding the bound.
 */
export function tprAtFpr(curve: readonly RocPoint[], bound: number): number {
  let tpr = NaN;
  for (const point of curve) if (point.fpr <= bound) tpr = point.tpr;
  return tpr;
}

/** FPR at the first ROC point with TPR >= target (Min-K%++'s FPR@95%TPR). */
export function fprAtTpr(curve: readonly RocPoint[], target: number): number {
  return curve.find((point) => point.tpr >= target)?.fpr ?? NaN;
}

export const FPR_BOUNDS = [0.001, 0.01, 0.05] as const;

export interface RocSummary {
  readonly auroc: number;
  /** Percentile bootstrap over members and non-members resampled separately. */
  readonly interval: Interval;
  readonly tprAtFpr: readonly { readonly fpr: number; readonly tpr: number }[];
  readonly fprAt95Tpr: number;
  readonly members: number;
  readonly nonMembers: number;
}

/**
 * One bootstrap replicate's AUROC, drawing resampled indices and counting pairs over the pooled
 * scores sorted once, instead of building and re-sorting resampled arrays. The draws are those of
 * simple-statistics' sampleWithReplacement (index floor(random() * n), members first); the pair count
 * is an exact half-integer, as is the rank-sum numerator in `auroc`, and both are divided by n1·n2
 * once: the replicates are identical bits (test/stats/roc.test.ts checks against the definition).
 */
function resampledAuroc(m: readonly number[], u: readonly number[]): (random: () => number) => number {
  const levels = [...new Set([...m, ...u])].sort((a, b) => a - b);
  const level = new Map(levels.map((x, i) => [x, i]));
  const lm = Int32Array.from(m, (x) => level.get(x)!);
  const lu = Int32Array.from(u, (x) => level.get(x)!);
  const cm = new Float64Array(levels.length);
  const cu = new Float64Array(levels.length);
  return (random) => {
    cm.fill(0);
    cu.fill(0);
    for (let k = 0; k < lm.length; k++) cm[lm[Math.floor(random() * lm.length)]]++;
    for (let k = 0; k < lu.length; k++) cu[lu[Math.floor(random() * lu.length)]]++;
    let pairs = 0;
    let below = 0;
    for (let l = 0; l < levels.length; l++) {
      pairs += cm[l] * (below + cu[l] / 2);
      below += cu[l];
    }
    return pairs / (lm.length * lu.length);
  };
}

/**
 * Each class is resampled with replacement within itself (stratified), so every replicate keeps the
 * class sizes and never lacks a class; MIMIR's scipy bootstrap resamples pairs from the pool instead.
 * Finite scores take the fast path (resampledAuroc); infinite ones, whose differences do not sort,
 * resample the scores themselves.
 */
export function aurocInterval(members: readonly number[], nonMembers: readonly number[], options: BootstrapOptions = {}): Interval {
  const m = finite(members);
  const u = finite(nonMembers);
  if (m.length === 0 || u.length === 0) return { low: NaN, high: NaN };
  const random = seededRandom(options.seed ?? 0);
  const replicates: number[] = [];
  const resamples = options.resamples ?? 1000;
  if ([...m, ...u].every(Number.isFinite)) {
    const replicate = resampledAuroc(m, u);
    for (let b = 0; b < resamples; b++) replicates.push(replicate(random));
  } else {
    const draw = (xs: number[]): number[] => sampleWithReplacement(xs, xs.length, random);
    for (let b = 0; b < resamples; b++) replicates.push(auroc(draw(m), draw(u)));
  }
  return percentileInterval(replicates, options.confidence);
}

export function rocSummary(members: readonly number[], nonMembers: readonly number[], options: BootstrapOptions = {}): RocSummary {
  const curve = rocCurve(members, nonMembers);
  return {
    auroc: auroc(members, nonMembers),
    interval: aurocInterval(members, nonMembers, options),
    tprAtFpr: FPR_BOUNDS.map((fpr) => ({ fpr, tpr: tprAtFpr(curve, fpr) })),
    fprAt95Tpr: fprAtTpr(curve, 0.95),
    members: finite(members).length,
    nonMembers: finite(nonMembers).length,
  };
}
