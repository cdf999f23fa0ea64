/**
 * Min-K%++ (Zhang et al., ICLR 2025, "Min-K%++: Improved Baseline for Detecting Pre-Training Data").
 * Per predicted token: z_t = (lp_t - mu_t) / sigma_t, with mu_t and sigma_t the mean and standard
 * deviation of log p under the model's full next-token distribution at t. Score = mean of the
 * floor(k·n) lowest z_t, at least 1.
 * Paper / upstream sign: higher = member (zjysteven/mink-plus-plus `run.py:109-113`); MIMIR negates it
 * to lower = member. Ours: higher = member, the paper's own sign.
 */
import type { Detector } from './types.js';
import { checkFraction, meanOfLowest, predictedCount } from './token-math.js';

export const MIN_K_PLUS_PLUS_ID = 'min-k-plus-plus';

/**
 * Floor for sigma_t. Upstream has none, so a near-deterministic position (sigma -> 0) makes z explode.
 * Our log-softmax runs in fp32, whose resolution near 0 is about 1e-7: a sigma below 1e-6 is rounding
 * noise, not spread, while every real sigma is far above it and is left untouched.
 */
export const SIGMA_EPSILON = 1e-6;

export interface MinKPlusPlusParams {
  readonly k?: number;
}

export function minKPlusPlus(params: MinKPlusPlusParams = {}): Detector {
  const k = checkFraction(MIN_K_PLUS_PLUS_ID, params.k ?? 0.2);
  return {
    id: MIN_K_PLUS_PLUS_ID,
    version: 1,
    params: { k },
    needs: { distribution: true },
    score(target) {
      const n = predictedCount(target);
      const z: number[] = new Array(n);
      for (let t = 1; t <= n; t++) {
        const sigma = target.std[t] < SIGMA_EPSILON ? SIGMA_EPSILON : target.std[t];
        z[t - 1] = (target.logprob[t] - target.mean[t]) / sigma;
      }
      // n = 0 gives NaN (meanOfLowest): nothing was predicted.
      return meanOfLowest(z, k);
    },
  };
}
