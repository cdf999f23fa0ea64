/**
 * Reference-model calibration (Carlini et al., USENIX Security 2021; `ppl/Ref_ppl` of Shi et al., ICLR 2024).
 * Paper / upstream sign: NLL_T(x) - NLL_R(x) (swj0419 `run.py:98`, MIMIR `reference.py`), lower = member.
 * Ours: -(NLL_T - NLL_R) = NLL_R - NLL_T, higher = member: the target finds its training texts easier than
 * a model that never saw them does.
 *
 * The engine scores the reference pass with the reference model's own tokenizer (Min-K%++'s `run_ref.py`
 * used the target's tokenizer for both, a quirk we do not copy); NLL is a per-token mean either way.
 */
import type { Detector } from './types.js';
import { meanNll, requirePass } from './token-math.js';

export const REFERENCE_ID = 'reference';

export function reference(): Detector {
  return {
    id: REFERENCE_ID,
    version: 1,
    params: {},
    needs: { reference: true },
    score: (target, ctx) => -(meanNll(target) - meanNll(requirePass(REFERENCE_ID, 'reference', ctx.reference))),
  };
}
