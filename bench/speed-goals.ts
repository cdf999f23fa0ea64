/**
 * Issue 20's speed goals as goal rows: scoring (goal 1), sampling (goal 3) and contam's own time per
 * decode step and per scored token beside the session's (goal 5). Kept out of main.ts so the other
 * goal rows there merge cleanly.
 *
 * Where the time went (issue 20, onnxruntime's profiler, GPT-2 small, loaded host, so shares only):
 *  - a decode step, first profile (50 rows, fixed cache of 65 slots): MatMul 64% of kernel time,
 *    Concat of past and new K/V into the present 18% (24 x ~10 MB per step, for a present only the
 *    new slot of which is kept; gone since the attention reads the past in place,
 *    src/models/onnx/graph-attention.ts), Q.K^T over all 65 slots 8%, TopK 1%, the head's gathers
 *    and slices 2%. Outside run(): touching the fresh 240 MB cache pool in the prefill tiling (~4% of
 *    a call), appending the new K/V (~2.5 ms a step), picking tokens (~0.3 ms).
 *  - a decode step now (2026-12-08; 100 rows x 40 new tokens after a shared 25-token prefix, split
 *    attention; scratch profile of three calls): the model's MatMuls 62% (the LM head's 18.5% of
 *    it), the attention's products 19% (the rows' own slots 12.8%, the shared prefix 3.6%, the new
 *    position 2.6%), TopK 1.4%, everything else under 2.5% each. The own-slot products read all 40
 *    slots of every row, half of them masked on average: at most about 6% of a call to win there.
 *  - a scoring pass: MatMul 70%, the head's log-softmax statistics 8% (six [positions, vocab]
 *    tensors); 95-98% of wall time is inside run(). Forming the weighted sums as row-by-row dot
 *    products (four tensors) moved Min-K%++'s mean 8e-5 from a float64 reference (1.4e-5 before),
 *    outside the 1e-5 exactness rule. The head then ran the same formulas on 20 positions at a time
 *    (graph-head.ts statsBranch; 5 since the 1 MiB chunks): a pass holds its logits and small
 *    chunks, and scored about 15% faster at the same budget.
 */
import { median } from './report.js';
import type { ConfigResult, GoalResult, ModelResult, RatioResult } from './report.js';

const x = (r: RatioResult) => `${r.median.toFixed(2)}x [${r.min.toFixed(2)}–${r.max.toFixed(2)}]`;

/** Goals 1 and 3, from the primary model's per-round ratios. */
export function speedGoals(primary: ModelResult, where: string): GoalResult[] {
  const rat = (name: string) => primary.ratios.find((r) => r.name.startsWith(name));
  const out: GoalResult[] = [];
  // Scoring means per-token log-probs (and Min-K%++'s mean and std): transformers.js's forward pass
  // stops at logits, so the like-for-like peer is its forward pass plus the log-softmax in JS.
  const e2e = rat('scoring: contam default / transformers.js forward + JS log-softmax');
  if (e2e) out.push({ goal: `issue 20 goal 1: >= 2x transformers.js on scoring (per-token log-probs end to end)${where}`, target: '>= 2.00x', measured: x(e2e), status: e2e.median >= 2 ? 'met' : 'not met' });
  const fwd = rat('scoring: contam default / transformers.js forward alone');
  if (fwd) out.push({ goal: `issue 20 goal 1: scoring >= 1.5x transformers.js's forward pass alone (logits only, no log-softmax)${where}`, target: '>= 1.50x', measured: x(fwd), status: fwd.median >= 1.5 ? 'met' : 'not met' });
  const smp = rat('sampling: contam batched / transformers.js tiled');
  if (smp) out.push({ goal: `issue 20 goal 3: >= 3x transformers.js on 100-sequence sampling (vs prefix tiled to 100)${where}`, target: '>= 3.00x', measured: x(smp), status: smp.median >= 3 ? 'met' : 'not met' });
  return out;
}

export interface Overhead {
  /** µs of contam's own time (outside session.run) per session call or per token. */
  readonly ownUs: number;
  /** µs inside session.run, same unit. */
  readonly sessionUs: number;
  /** own / session. */
  readonly share: number;
}

/** Medians over a configuration's runs; per session call when `perCall`, else per token. */
export function overheadOf(c: ConfigResult | undefined, perCall: boolean): Overhead | undefined {
  if (!c || c.runs.some((r) => r.inSession === undefined || (perCall && !r.extra?.sessionCalls))) return undefined;
  const per = c.runs.map((r) => {
    const units = perCall ? r.extra!.sessionCalls : r.tokens;
    const session = r.ms * r.inSession!;
    return { own: ((r.ms - session) / units) * 1000, session: (session / units) * 1000, share: (r.ms - session) / session };
  });
  return { ownUs: median(per.map((p) => p.own)), sessionUs: median(per.map((p) => p.session)), share: median(per.map((p) => p.share)) };
}

const DEFAULT_SAMPLING = 'contam sampleIds';
const DEFAULT_SCORING = 'contam scoreIds';

/** Goal 5: one row per model, each judged against the target the issue sets for the small model. */
export function overheadGoals(models: readonly ModelResult[]): GoalResult[] {
  const smallest = models.reduce<ModelResult | undefined>((a, m) => (!a || m.nonEmbeddingParams < a.nonEmbeddingParams ? m : a), undefined);
  return models.map((m) => {
    const cfg = (name: string) => m.configs.find((c) => c.name.startsWith(name));
    const step = overheadOf(cfg(DEFAULT_SAMPLING), true);
    const token = overheadOf(cfg(DEFAULT_SCORING), false);
    const small = m === smallest;
    const pct = (o: Overhead) => `${(o.share * 100).toFixed(1)}%`;
    const measured = [
      step ? `sampling: ${step.ownUs.toFixed(0)} µs per decode step outside session.run beside ${step.sessionUs.toFixed(0)} µs inside (${pct(step)})` : 'sampling: not measured',
      token ? `scoring: ${token.ownUs.toFixed(1)} µs per scored token outside session.run beside ${token.sessionUs.toFixed(1)} µs inside (${pct(token)})` : 'scoring: not measured',
    ].join('; ');
    const ok = step !== undefined && token !== undefined && step.share <= 0.1 && token.share <= 0.1;
    return {
      goal: `issue 20 goal 5: contam's own time (outside session.run) per decode step and per scored token, ${m.name}${small ? ' (the small model: the goal)' : ' (for comparison)'}`,
      target: "<= 10% of the session's",
      measured,
      status: step && token ? (ok ? 'met' : 'not met') : 'pending',
    };
  });
}
