/**
 * Scoring workloads: per-token log-prob, mean and std for every text, through contam's runtime in
 * several batch shapes (the levers), and through transformers.js (forward pass + the JS log-softmax
 * a tool built on it must do). Every configuration scores the same token ids.
 */
import { scoreSequences, type ScoringOptions } from '../src/models/onnx/scoring.js';
import type { OpenedModel } from '../src/models/onnx/open.js';
import { flopsPerPosition, type BenchModelSpec } from './models.js';
import type { TjsRunner } from './transformers-js.js';

export interface WorkloadRun {
  readonly ms: number;
  /** Tokens processed (scoring: tokens fed; sampling: new tokens generated). */
  readonly tokens: number;
  /** Useful forward FLOPs (no credit for padding). */
  readonly flops: number;
  /** Time inside onnxruntime's session.run, when measured. */
  readonly sessionMs?: number;
  /** Extra numbers worth keeping (e.g. rows returned). */
  readonly extra?: Readonly<Record<string, number>>;
}

export interface Workload {
  readonly name: string;
  readonly runtime: 'contam' | 'transformers.js';
  /** What the configuration tests, one line. */
  readonly lever: string;
  run(): Promise<WorkloadRun | WorkloadRun[]>;
}

/** Σ over texts of (n - 1) · FLOPs(position, keys = n): the n - 1 positions that predict a token (the last predicts nothing). */
export function scoringFlops(spec: BenchModelSpec, seqs: readonly (readonly number[])[]): number {
  return seqs.reduce((sum, s) => sum + Math.max(0, s.length - 1) * flopsPerPosition(spec, s.length), 0);
}

export interface SessionTimer {
  /** ms inside run() since the last take; also moves the call count into `calls`. */
  take(): number;
  /** run() calls counted up to the last take. */
  readonly calls: number;
}

/** Accumulates the time spent in a session's run() and its calls, by wrapping the method on the instance. */
export function timeSessionRuns(session: { run: (...args: never[]) => Promise<unknown> }): SessionTimer {
  let total = 0;
  let count = 0;
  let taken = 0;
  const run = session.run.bind(session) as (...args: unknown[]) => Promise<unknown>;
  (session as { run: (...args: unknown[]) => Promise<unknown> }).run = async (...args: unknown[]) => {
    const t = performance.now();
    try {
      return await run(...args);
    } finally {
      total += performance.now() - t;
      count += 1;
    }
  };
  return {
    take() {
      const v = total;
      total = 0;
      taken = count;
      count = 0;
      return v;
    },
    get calls() {
      return taken;
    },
  };
}

export interface ScoringSetup {
  readonly spec: BenchModelSpec;
  readonly model: OpenedModel;
  readonly modelTimer: SessionTimer;
  /** The same weights without the in-graph head (JS log-softmax), or undefined to skip that lever. */
  readonly noHead?: { model: OpenedModel; timer: SessionTimer };
  readonly tjs?: TjsRunner;
  readonly seqs: readonly (readonly number[])[];
  readonly padId: number;
}

export function scoringWorkloads(setup: ScoringSetup): Workload[] {
  const { spec, model, seqs } = setup;
  const tokens = seqs.reduce((a, s) => a + s.length, 0);
  const flops = scoringFlops(spec, seqs);
  const base: ScoringOptions = { contextLength: model.contextLength, padId: setup.padId, batchSize: 16, tokenBudget: 2048 };
  const timed = async (timer: SessionTimer, body: () => Promise<unknown>): Promise<WorkloadRun> => {
    timer.take();
    const t = performance.now();
    await body();
    const ms = performance.now() - t;
    return { ms, tokens, flops, sessionMs: timer.take(), extra: { sessionCalls: timer.calls } };
  };
  const contam = (name: string, lever: string, options: Partial<ScoringOptions>): Workload => ({
    name,
    runtime: 'contam',
    lever,
    run: () => timed(setup.modelTimer, () => scoreSequences(model.opened, seqs, { ...base, ...options })),
  });
  const out: Workload[] = [
    {
      name: 'contam scoreIds (shipped defaults: batch 16, token budget from the weights, length-bucketed)',
      runtime: 'contam',
      lever: 'shipped default',
      run: () => timed(setup.modelTimer, () => model.scoreIds(seqs)),
    },
    contam('contam batch 1', 'batching off', { batchSize: 1 }),
    // Not run: batch 32 with budget 8192 (the head's [positions, vocab] intermediates reached 11 GB RSS
    // on GPT-2-small and the warm-up did not finish in 3 minutes).
    // The head materialises several [positions, vocab] fp32 tensors; a smaller budget keeps them in cache-sized, reused buffers.
    contam('contam batch 16, budget 512', 'smaller token budget', { tokenBudget: 512 }),
    contam('contam batch 16, budget 256', 'smaller token budget', { tokenBudget: 256 }),
    {
      name: 'contam batch 16, not length-bucketed (file order)',
      runtime: 'contam',
      lever: 'length bucketing off',
      run: () =>
        timed(setup.modelTimer, async () => {
          // Chunks of 16 in file order: each batch pads to its longest text, as without bucketing.
          for (let at = 0; at < seqs.length; at += 16) await scoreSequences(model.opened, seqs.slice(at, at + 16), base);
        }),
    },
  ];
  const noHead = setup.noHead;
  if (noHead) {
    out.push({
      name: 'contam without head: [b,s,V] logits + JS row stats, batch 1',
      runtime: 'contam',
      lever: 'in-graph log-softmax head off',
      run: () => timed(noHead.timer, () => scoreSequences(noHead.model.opened, seqs, { ...base, batchSize: 1 })),
    });
  }
  const tjs = setup.tjs;
  if (tjs) {
    out.push({
      name: 'transformers.js forward, batch 1',
      runtime: 'transformers.js',
      lever: 'peer',
      // One run gives two rows: forward alone, and forward + the JS log-softmax (end to end).
      async run() {
        tjs.sessionMs(true);
        const r = await tjs.score(seqs, 1, setup.padId);
        const sessionMs = tjs.sessionMs(true);
        return [
          { ms: r.forwardMs, tokens, flops, sessionMs },
          { ms: r.forwardMs + r.statsMs, tokens, flops, sessionMs, extra: { statsMs: r.statsMs } },
        ];
      },
    });
  }
  return out;
}

/** Names of the two rows the transformers.js scoring workload yields. */
export const TJS_SCORING_ROWS = ['transformers.js forward, batch 1', 'transformers.js forward + JS log-softmax (end to end), batch 1'] as const;
