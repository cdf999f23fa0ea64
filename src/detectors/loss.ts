/**
 * LOSS attack (Yeom et al., CSF 2018; the `ppl` baseline of Shi et al., ICLR 2024, Min-K% Prob).
 * Paper / upstream sign: score = NLL_T(x) (MIMIR `loss.py`), lower = member; upstream also writes
 * ppl = exp(NLL). Ours: -NLL, so higher = member like every detector here.
 */
import type { TokenScores } from '../models/types.js';
import type { Detector } from './types.js';
import { meanNll } from './token-math.js';

export const LOSS_ID = 'loss';

/** Perplexity as upstream prints it: exp(NLL). NaN for a text with no predicted tokens. */
export function ppl(scores: TokenScores): number {
  return Math.exp(meanNll(scores));
}

export function loss(): Detector {
  return {
    id: LOSS_ID,
    version: 1,
    params: {},
    needs: {},
    // Members are seen in training, so the target assigns them lower NLL.
    score: (target) => -meanNll(target),
  };
}
