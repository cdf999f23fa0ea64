/**
 * Percentile bootstrap intervals with the project's seeded generator (util/random.ts), so a report's intervals are reproducible
 * from its config. Percentiles use simple-statistics' quantileSorted (numpy's default linear method).
 */
import { quantileSorted, sampleWithReplacement } from 'simple-statistics';
import { seededRandom } from '../util/random.js';

export const DEFAULT_RESAMPLES = 2000;

export interface BootstrapOptions {
  readonly resamples?: number;
  readonly seed?: number;
  readonly confidence?: number;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

/** The central `confidence` interval of the bootstrap replicates. */
export function percentileInterval(replicates: number[], confidence = 0.95): Interval {
  if (replicates.length === 0) return { low: NaN, high: NaN };
  const sorted = replicates.slice().sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return { low: quantileSorted(sorted, tail), high: quantileSorted(sorted, 1 - tail) };
}

export interface Difference extends Interval {
  readonly value: number;
  /** Samples the difference is computed over (those valid on both sides). */
  readonly pairs: number;
}

function share(flags: readonly boolean[], indices: readonly number[]): number {
  let hits = 0;
  for (const i of indices) if (flags[i]) hits++;
  return hits / indices.length;
}

/**
 * Target% - control% over the same samples, with a paired percentile bootstrap: each replicate
 * resamples sample indices, keeping every sample's target and control flags together, because both
 * sides rank the same neighbours and their errors are correlated.
 */
export function pairedBootstrapDifference(
  target: readonly boolean[],
  control: readonly boolean[],
  options: BootstrapOptions = {},
): Difference {
  if (target.length !== control.length) {
    throw new Error(`pairedBootstrapDifference: ${target.length} target flags but ${control.length} control flags`);
  }
  const n = target.length;
  // No pairs: no difference to estimate.
  if (n === 0) return { value: NaN, low: NaN, high: NaN, pairs: 0 };
  const all = Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(options.seed ?? 0);
  const replicates: number[] = [];
  for (let b = 0; b < (options.resamples ?? DEFAULT_RESAMPLES); b++) {
    const idx = sampleWithReplacement(all, n, random);
    replicates.push(share(target, idx) - share(control, idx));
  }
  return { value: share(target, all) - share(control, all), ...percentileInterval(replicates, options.confidence), pairs: n };
}
