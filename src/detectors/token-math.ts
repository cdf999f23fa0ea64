/**
 * Arithmetic shared by the detectors. Every detector reads only predicted positions
 * t = 1..n-1 of a TokenScores (index 0 has no context and holds NaN), so N tokens give N-1 values,
 * exactly the `N-1` of detection-methods.md's notation.
 */
import type { TokenScores } from '../models/types.js';
import { FatalError } from '../errors.js';

/** Number of predicted tokens (N-1); 0 for an empty or one-token text. */
export function predictedCount(scores: TokenScores): number {
  return Math.max(0, scores.logprob.length - 1);
}

/** The log-probs of predicted tokens, as a fresh array (callers may sort it). */
export function predictedLogprobs(scores: TokenScores): number[] {
  return Array.from(scores.logprob.subarray(1));
}

/**
 * NLL(x) = -mean_t lp_t: what HF `outputs.loss` returns for one unpadded text.
 * No predicted tokens gives NaN: there is no likelihood to average, and the engine counts a NaN
 * score as a per-sample error rather than inventing a value.
 */
export function meanNll(scores: TokenScores): number {
  const n = predictedCount(scores);
  if (n === 0) return NaN;
  let sum = 0;
  for (let t = 1; t <= n; t++) sum -= scores.logprob[t];
  return sum / n;
}

/**
 * How many of n values "the lowest k fraction" means: floor(k·n) as upstream computes it
 * (`int(len(probs) * ratio)` on the same float64 product), but at least 1, because upstream's
 * k = 0 averages nothing and yields NaN for short texts.
 */
export function lowestCount(k: number, n: number): number {
  return Math.max(1, Math.floor(k * n));
}

/**
 * Mean of the `count` smallest values; NaN for an empty list (see meanNll for why), and NaN when any
 * value is NaN: a NaN token score means a broken pass, and sorting NaNs would pick an arbitrary subset.
 */
export function meanOfLowest(values: number[], k: number): number {
  if (values.length === 0 || values.some(Number.isNaN)) return NaN;
  const sorted = values.sort((a, b) => a - b);
  const count = lowestCount(k, sorted.length);
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i];
  return sum / count;
}

/** Validates the Min-K% fraction once, for both Min-K% detectors and the registry. */
export function checkFraction(detectorId: string, k: number): number {
  if (typeof k !== 'number' || !Number.isFinite(k) || k <= 0 || k > 1) {
    throw new FatalError(`detector ${detectorId}: k=${String(k)} is out of range; k must be in (0, 1], e.g. k=0.2`);
  }
  return k;
}

/** A context pass the detector declared in `needs` but the engine did not supply: an engine bug. */
export function requirePass(detectorId: string, pass: string, scores: TokenScores | undefined): TokenScores {
  if (!scores) throw new Error(`detector ${detectorId} needs the ${pass} pass, but the engine supplied none`);
  return scores;
}
