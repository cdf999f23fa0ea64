/**
 * Min-K% Prob (Shi et al., ICLR 2024, "Detecting Pretraining Data from Large Language Models").
 * Paper / upstream sign: -mean of the floor(K·(N-1)) lowest token log-probs (swj0419/detect-pretrain-code
 * `run.py:107-110`, MIMIR `min_k.py`), lower = member. Min-K%++'s repo writes +mean, higher = member.
 * Ours: +mean of the lowest floor(k·n) log-probs, at least 1, higher = member: members have few
 * surprising tokens, so even their least likely tokens score high.
 * k defaults to 0.2, the paper's headline and MIMIR's default.
 */
import type { Detector } from './types.js';
import { checkFraction, meanOfLowest, predictedLogprobs } from './token-math.js';

export const MIN_K_ID = 'min-k';

export interface MinKParams {
  readonly k?: number;
}

export function minK(params: MinKParams = {}): Detector {
  const k = checkFraction(MIN_K_ID, params.k ?? 0.2);
  return {
    id: MIN_K_ID,
    version: 1,
    params: { k },
    needs: {},
    // n = 0 gives NaN (meanOfLowest): a one-token text has no predicted token to rank.
    score: (target) => meanOfLowest(predictedLogprobs(target), k),
  };
}
