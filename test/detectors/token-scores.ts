import type { TokenScores } from '../../src/models/types.js';

/** TokenScores for hand-computed cases: index 0 is never predicted, so it holds NaN like the real thing. */
export function scores(logprob: number[], mean: number[] = logprob.map(() => 0), std: number[] = logprob.map(() => 1)): TokenScores {
  const pad = (xs: number[]): Float64Array => Float64Array.from([NaN, ...xs]);
  return { ids: [1, ...logprob.map((_, i) => 100 + i)], logprob: pad(logprob), mean: pad(mean), std: pad(std) };
}
