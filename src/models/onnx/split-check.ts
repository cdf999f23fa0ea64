/**
 * A split attention (graph-attention.ts) is checked once per session before use: a prefill and one
 * decode step must give the top logits one whole pass over the same tokens gives. The whole pass
 * has no past, so it runs the export's own products; the step runs the split ones. A graph whose
 * pattern matched but whose arithmetic differs (a mask read from the present's shape in some way
 * the rewrite does not see) is then reopened without the split instead of sampling from wrong
 * numbers.
 */
import { forward } from './forward.js';
import { sameTopLogits } from './fixed-cache.js';
import { HEAD, type OpenedSession } from './session.js';

/** Whether the split decode step equals the whole pass on this session (always true without a split). */
export async function splitAttentionAgrees(s: OpenedSession, vocab: number): Promise<boolean> {
  const kv = s.signature.kv;
  if (!s.splitAttention || !kv) return true;
  const tokens = [1, 2, 3, 4, 5].map((t) => t % vocab);
  const k = Math.min(8, vocab);
  try {
    const whole = await forward(s, { ids: [tokens], mask: [tokens.map(() => 1)], topK: k, fetch: [HEAD.topValues] });
    const prefix = tokens.slice(0, -1);
    const pre = await forward(s, { ids: [prefix], mask: [prefix.map(() => 1)], topK: k, fetch: kv.presentNames });
    const past = kv.presentNames.map((n) => pre[n]);
    const step = await forward(s, { ids: [tokens.slice(-1)], mask: [tokens.map(() => 1)], past, topK: k, fetch: [HEAD.topValues] });
    return sameTopLogits(whole, step, kv);
  } catch {
    return false;
  }
}
