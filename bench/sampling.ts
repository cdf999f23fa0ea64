/**
 * Neighbour sampling workloads: n continuations of one prefix (top_k 50, temperature 1, a fixed
 * number of new tokens so every runtime does the same work), through contam's batched KV-cache
 * sampler, contam one sequence at a time, and transformers.js (as written, and prefix tiled to n).
 */
import type { OpenedModel } from '../src/models/onnx/open.js';
import { flopsPerPosition, type BenchModelSpec } from './models.js';
import type { SessionTimer, Workload, WorkloadRun } from './scoring.js';
import type { TjsRunner } from './transformers-js.js';

export interface SamplingSetup {
  readonly spec: BenchModelSpec;
  readonly model: OpenedModel;
  readonly modelTimer: SessionTimer;
  readonly tjs?: TjsRunner;
  readonly prefix: readonly number[];
  /** Continuations per prefix (100 in the issue). */
  readonly n: number;
  readonly maxNewTokens: number;
  /** How many sequences the one-at-a-time configuration generates (its rate does not depend on it). */
  readonly sequentialRows: number;
}

/** FLOPs of `rows` continuations of `newTokens` after a prefix: each new position attends prefix + step + 1 keys. */
export function samplingFlops(spec: BenchModelSpec, prefixLength: number, rows: number, newTokens: number): number {
  let perRow = 0;
  for (let step = 0; step < newTokens; step++) perRow += flopsPerPosition(spec, prefixLength + step + 1);
  return rows * perRow;
}

export function samplingWorkloads(setup: SamplingSetup): Workload[] {
  const { spec, model, prefix, n, maxNewTokens } = setup;
  const options = { maxNewTokens, minNewTokens: maxNewTokens, topK: 50, temperature: 1 };
  let seed = 1;
  const contamRun = async (rows: number, perCall: number): Promise<WorkloadRun> => {
    setup.modelTimer.take();
    const t = performance.now();
    let produced = 0;
    for (let done = 0; done < rows; done += perCall) {
      const out = await model.sampleIds(prefix, { ...options, n: perCall, seed: seed++ });
      // EOS is banned until maxNewTokens, so every row is full length; count what came back anyway.
      produced += out.reduce((a, r) => a + r.length, 0);
    }
    const ms = performance.now() - t;
    const sessionMs = setup.modelTimer.take();
    // Session calls: one prefill per call, then one per decode step of each batch of rows (goal 5's unit).
    return { ms, tokens: produced, flops: samplingFlops(spec, prefix.length, rows, maxNewTokens), sessionMs, extra: { sessionCalls: setup.modelTimer.calls } };
  };
  const out: Workload[] = [
    {
      name: `contam sampleIds, ${n} rows batched (prefill once, KV tiled)`,
      runtime: 'contam',
      lever: 'shipped default',
      run: () => contamRun(n, n),
    },
    {
      name: `contam one sequence at a time (${setup.sequentialRows} of ${n})`,
      runtime: 'contam',
      lever: 'batching off',
      run: () => contamRun(setup.sequentialRows, 1),
    },
  ];
  const tjs = setup.tjs;
  if (tjs) {
    const tjsRun = async (body: () => Promise<{ rows: number; newTokens: number }>): Promise<WorkloadRun> => {
      tjs.sessionMs(true);
      const t = performance.now();
      const r = await body();
      const ms = performance.now() - t;
      return { ms, tokens: r.newTokens, flops: samplingFlops(spec, prefix.length, r.rows, maxNewTokens), sessionMs: tjs.sessionMs(true), extra: { rows: r.rows } };
    };
    out.push(
      {
        name: `transformers.js generate, prefix tiled to a batch of ${n}`,
        runtime: 'transformers.js',
        lever: 'peer (fair)',
        run: () => tjsRun(() => tjs.generateTiled(prefix, n, maxNewTokens)),
      },
      {
        name: `transformers.js generate({num_return_sequences: ${n}}) as written`,
        runtime: 'transformers.js',
        lever: 'peer (as documented)',
        run: () => tjsRun(() => tjs.generateAsWritten(prefix, n, maxNewTokens)),
      },
    );
  }
  return out;
}
