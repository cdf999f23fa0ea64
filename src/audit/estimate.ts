/**
 * The work an audit will do, as far as it is known before any model is opened: what `--dry-run`
 * prints beside the plan. Counts follow runSample (sample-work.ts) exactly; early stopping and the
 * cache can only lower them, so each is given as the fewest and the most.
 */
import { detectorSet, needsLowercase } from './detector-set.js';
import { chunkSizes } from './sample-work.js';
import type { PlanConfig } from './types.js';

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface WorkEstimate {
  readonly samples: number;
  readonly neighboursPerSample: number;
  /** Neighbours the reference writes: fewest when every sample is decided by its first draw. */
  readonly neighboursDrawn: Range;
  /** Texts each model scores: originals and neighbours, twice when a detector needs the lowercase pass. */
  readonly textsScoredPerModel: Range;
  /**
   * Scoring and sampling calls, counted as results.json's modelCalls counts them for a local model
   * (one call per pass and seat); an engine merges passes and seats, so makes fewer.
   */
  readonly modelCalls: Range;
}

type EstimateConfig = Pick<PlanConfig, 'detectors' | 'neighbours' | 'cut' | 'earlyStop'>;

/** The work for `samples` samples of one benchmark (0 samples: no work, every count 0). */
export function estimateWork(config: EstimateConfig, samples: number): WorkEstimate {
  const M = config.neighbours;
  const chunks = chunkSizes(M, Math.ceil(config.cut * M));
  const passes = needsLowercase(detectorSet(config.detectors)) ? 2 : 1;
  // Early stopping can end a sample after its first draw at the soonest; without it every chunk is drawn.
  const fewestChunks = config.earlyStop ? 1 : chunks.length;
  const drawn = (n: number) => chunks.slice(0, n).reduce((a, b) => a + b, 0);
  // Per sample: the original under both seats (one call per pass each), then per chunk one sampling
  // call and both seats' scoring of the chunk.
  const calls = (n: number) => 2 * passes + n * (1 + 2 * passes);
  const range = (f: (n: number) => number): Range => ({ min: samples * f(fewestChunks), max: samples * f(chunks.length) });
  return {
    samples,
    neighboursPerSample: M,
    neighboursDrawn: range(drawn),
    textsScoredPerModel: range((n) => passes * (1 + drawn(n))),
    modelCalls: range(calls),
  };
}

/** The sum of several benchmarks' estimates (neighboursPerSample is the same for all). */
export function totalWork(estimates: readonly WorkEstimate[], neighboursPerSample: number): WorkEstimate {
  const sum = (f: (e: WorkEstimate) => Range): Range => ({
    min: estimates.reduce((a, e) => a + f(e).min, 0),
    max: estimates.reduce((a, e) => a + f(e).max, 0),
  });
  return {
    samples: estimates.reduce((a, e) => a + e.samples, 0),
    neighboursPerSample,
    neighboursDrawn: sum((e) => e.neighboursDrawn),
    textsScoredPerModel: sum((e) => e.textsScoredPerModel),
    modelCalls: sum((e) => e.modelCalls),
  };
}
