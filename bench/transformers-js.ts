/**
 * The peer: @huggingface/transformers 4.3.2 on the same model folder, same thread settings.
 *
 * Loading notes (checked against its source, src/utils/model-loader.js and src/models/onnx/session.js):
 *  - env.allowRemoteModels = false and env.localModelPath = the cache folder; the model id is the
 *    folder name; it reads config.json and onnx/model.onnx.
 *  - In Node it hands onnxruntime the *path* of onnx/model.onnx, and onnxruntime resolves
 *    model.onnx.data from the location recorded in the graph. So `use_external_data_format` is not
 *    needed here; setting it to true makes transformers.js look for `onnx/model.onnx_data`
 *    (underscore), which our fixture does not write, and loading fails.
 *  - The past-KV batch dimension must be named batch_size (the fixture does) and batch padding
 *    needs pad_token in tokenizer_config.json (models.ts writes it). We feed token ids directly.
 *  - 4.3.2 ignores num_return_sequences (one row comes back); `generateAsWritten` records that,
 *    `generateTiled` is the fair comparison: the prefix tiled to a batch of n.
 */
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

// transformers.js's types do not survive NodeNext cleanly; keep them behind our own interface.
interface TjsTensor {
  readonly dims: number[];
  readonly data: Float32Array | BigInt64Array;
  dispose?(): void;
}
interface TjsModel {
  (inputs: Record<string, unknown>): Promise<Record<string, TjsTensor>>;
  generate(options: Record<string, unknown>): Promise<TjsTensor>;
  dispose(): Promise<unknown>;
  sessions: Record<string, { run: (...args: unknown[]) => Promise<unknown> }>;
}
interface TjsModule {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string; logLevel?: unknown };
  AutoModelForCausalLM: { from_pretrained(id: string, options: Record<string, unknown>): Promise<TjsModel> };
  Tensor: new (type: string, data: BigInt64Array, dims: number[]) => TjsTensor;
}

export interface TjsRunner {
  readonly version: string;
  readonly loadMs: number;
  /** Forward passes one text at a time (its fastest scoring shape per performance-notes.md), plus the fused JS log-softmax into logprob/mean/std. */
  score(ids: readonly (readonly number[])[], batchSize: number, padId: number): Promise<{ forwardMs: number; statsMs: number; sink: number }>;
  /** generate({ num_return_sequences: n }) exactly as written: returns how many rows came back. */
  generateAsWritten(prefix: readonly number[], n: number, maxNewTokens: number): Promise<{ rows: number; newTokens: number }>;
  /** The prefix tiled to a batch of n: n independent samples. */
  generateTiled(prefix: readonly number[], n: number, maxNewTokens: number): Promise<{ rows: number; newTokens: number }>;
  /** Milliseconds spent inside the model session's run since the last reset. */
  sessionMs(reset?: boolean): number;
  close(): Promise<void>;
}

/**
 * logprob of the next token, mean and std of log p under the next-token distribution, per position,
 * from [seq, vocab] logits: two passes per row (max and Σexp, then Σp·lp and Σp·lp²). This is the
 * hand-fused loop performance-notes.md measured (about 10 ns per element); a tool scoring with
 * transformers.js has to do this work in JS.
 */
export function rowStatsInto(logits: Float32Array, rowOffset: number, vocab: number, target: number): { lp: number; mean: number; std: number } {
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) if (logits[rowOffset + v] > max) max = logits[rowOffset + v];
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[rowOffset + v] - max);
  const logZ = max + Math.log(sum);
  let m1 = 0;
  let m2 = 0;
  for (let v = 0; v < vocab; v++) {
    const lp = logits[rowOffset + v] - logZ;
    const p = Math.exp(lp);
    m1 += p * lp;
    m2 += p * lp * lp;
  }
  return { lp: logits[rowOffset + target] - logZ, mean: m1, std: Math.sqrt(Math.max(0, m2 - m1 * m1)) };
}

/** The installed version, read from its package.json (its exports map hides the file from import). */
export function packageVersion(): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve('@huggingface/transformers'));
    for (let i = 0; i < 4; i++, dir = dirname(dir)) {
      const path = join(dir, 'package.json');
      if (!existsSync(path)) continue;
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@huggingface/transformers') return pkg.version ?? 'unknown';
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

export async function openTransformersJs(modelDir: string, threads = Math.max(1, availableParallelism())): Promise<TjsRunner> {
  const tjs = (await import('@huggingface/transformers')) as unknown as TjsModule;
  tjs.env.allowRemoteModels = false;
  tjs.env.allowLocalModels = true;
  tjs.env.localModelPath = `${dirname(modelDir)}/`;
  const started = performance.now();
  const model = await tjs.AutoModelForCausalLM.from_pretrained(basename(modelDir), {
    dtype: 'fp32',
    device: 'cpu',
    local_files_only: true,
    session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 4 },
  });
  const loadMs = performance.now() - started;
  let inSession = 0;
  for (const session of Object.values(model.sessions)) {
    const run = session.run.bind(session);
    session.run = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await run(...args);
      } finally {
        inSession += performance.now() - t;
      }
    };
  }
  const ints = (rows: readonly (readonly number[])[]): TjsTensor => {
    const width = rows[0].length;
    const data = new BigInt64Array(rows.length * width);
    rows.forEach((r, i) => r.forEach((v, j) => (data[i * width + j] = BigInt(v))));
    return new tjs.Tensor('int64', data, [rows.length, width]);
  };
  const countNew = (out: TjsTensor, prefixLength: number, maxNewTokens: number) => {
    const [rows, width] = out.dims;
    return { rows, newTokens: rows * Math.min(maxNewTokens, width - prefixLength) };
  };
  const generate = async (prefix: readonly number[], batch: number, n: number, maxNewTokens: number) => {
    const rows = Array.from({ length: batch }, () => prefix);
    const out = await model.generate({
      input_ids: ints(rows),
      attention_mask: ints(rows.map((r) => r.map(() => 1))),
      do_sample: true,
      top_k: 50,
      temperature: 1,
      max_new_tokens: maxNewTokens,
      // Every row runs to full length, in both runtimes: equal work, comparable tok/s.
      min_new_tokens: maxNewTokens,
      num_return_sequences: n,
    });
    return countNew(out, prefix.length, maxNewTokens);
  };
  return {
    version: packageVersion(),
    loadMs,
    async score(seqs, batchSize, padId) {
      let forwardMs = 0;
      let statsMs = 0;
      let sink = 0;
      for (let at = 0; at < seqs.length; at += batchSize) {
        const group = seqs.slice(at, at + batchSize);
        const width = Math.max(...group.map((s) => s.length));
        const ids = group.map((s) => [...s, ...new Array(width - s.length).fill(padId)]);
        const mask = group.map((s) => Array.from({ length: width }, (_, j) => (j < s.length ? 1 : 0)));
        let t = performance.now();
        const out = await model({ input_ids: ints(ids), attention_mask: ints(mask) });
        forwardMs += performance.now() - t;
        t = performance.now();
        const logits = out.logits.data as Float32Array;
        const vocab = out.logits.dims[2];
        group.forEach((s, b) => {
          for (let p = 0; p + 1 < s.length; p++) {
            const r = rowStatsInto(logits, (b * width + p) * vocab, vocab, s[p + 1]);
            sink += r.lp + r.mean + r.std;
          }
        });
        statsMs += performance.now() - t;
        for (const tensor of Object.values(out)) tensor.dispose?.();
      }
      return { forwardMs, statsMs, sink };
    },
    generateAsWritten: (prefix, n, maxNewTokens) => generate(prefix, 1, n, maxNewTokens),
    generateTiled: (prefix, n, maxNewTokens) => generate(prefix, n, 1, maxNewTokens),
    sessionMs(reset = false) {
      const v = inSession;
      if (reset) inSession = 0;
      return v;
    },
    async close() {
      await model.dispose();
    },
  };
}
