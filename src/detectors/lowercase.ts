/**
 * Lowercase calibration (Carlini et al., USENIX Security 2021; the `ppl/lowercase_ppl` baseline of
 * Shi et al., ICLR 2024).
 * Paper / upstream sign: -(NLL_T(lower x) / NLL_T(x)) (swj0419 `run.py:102`), lower = member;
 * Min-K%++'s `run_ref.py` writes ll(lower)/ll, which is the same ratio, higher = member.
 * Ours: +NLL_lower / NLL, higher = member. Why that direction: a memorised text has a low NLL in its
 * original casing, while lowercasing breaks the memorised form and raises NLL_lower, so the ratio is
 * large for members.
 *
 * NLL = 0 cannot occur with a real model (every token at probability 1); it would give ±Infinity or NaN.
 */
import type { Detector } from './types.js';
import { meanNll, requirePass } from './token-math.js';

export const LOWERCASE_ID = 'lowercase';

export function lowercase(): Detector {
  return {
    id: LOWERCASE_ID,
    version: 1,
    params: {},
    needs: { lowercase: true },
    score: (target, ctx) => meanNll(requirePass(LOWERCASE_ID, 'lowercase', ctx.lowercase)) / meanNll(target),
  };
}
