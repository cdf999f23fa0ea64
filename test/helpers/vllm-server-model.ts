/**
 * The model side of the vLLM test server (vllm-server.ts): a model folder (GPT-2 fixture or demo n-gram
 * export) opened through onnxruntime-node and @huggingface/tokenizers, full forward passes with empty
 * pasts, float64 log-softmax, vocab ranks and a seeded PRNG. No KV cache: the models are tiny.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import type { HfLike } from '../../src/models/tokenizer.js';


/** Sampling defaults a model folder's generation_config.json may set (vLLM: `--generation-config auto`). */
export interface GenerationDefaults {
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  repetition_penalty?: number;
}

export interface ForwardResult {
  /** [batch, seq, vocab] row-major fp32 logits. */
  readonly logits: Float32Array;
  readonly batch: number;
  readonly seq: number;
  readonly vocab: number;
}

export interface ServedModel {
  readonly name: string;
  readonly dir: string;
  readonly maxModelLen: number;
  /** config.json vocab_size (vLLM's model_config.get_vocab_size()); falls back to the tokenizer's. */
  readonly vocabSize: number;
  /** The tokenizer's highest id (vLLM's tokenizer.max_token_id). */
  readonly maxTokenId: number;
  /** Longest token string in the vocabulary (vLLM's tokenizer.max_chars_per_token). */
  readonly maxCharsPerToken: number;
  readonly eosTokenId: number | undefined;
  /** generation_config.json eos ids other than the tokenizer's eos (added as stop ids unless ignore_eos). */
  readonly extraEosIds: readonly number[];
  readonly generationDefaults: GenerationDefaults;
  readonly inputNames: readonly string[];
  encode(text: string, addSpecialTokens: boolean): number[];
  decode(ids: readonly number[], skipSpecialTokens: boolean): string;
  /** tokenizer.convert_ids_to_tokens: the raw vocabulary string. */
  tokenString(id: number): string;
  /** The Logprob.decoded_token vLLM uses: tokenizer.decode([id]) with default (kept) special tokens. */
  decodedToken(id: number): string;
  /** Full forward pass over rows of equal length, empty pasts. */
  forward(rows: readonly (readonly number[])[]): Promise<ForwardResult>;
  close(): Promise<void>;
}

export const sessionOptions: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 };

function readJson(path: string, optional: boolean): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if (optional) return {};
    throw new Error(`vllm test server: cannot read ${path}: ${(error as Error).message}`);
  }
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function tokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') return (value as { content: string }).content;
  return undefined;
}

type IntType = 'int64' | 'int32';

function intTensor(type: IntType, values: number[], dims: number[]): ort.Tensor {
  return type === 'int64' ? new ort.Tensor('int64', BigInt64Array.from(values, BigInt), dims) : new ort.Tensor('int32', Int32Array.from(values), dims);
}

function emptyTensor(type: string, dims: number[]): ort.Tensor {
  switch (type) {
    case 'float16':
      return new ort.Tensor('float16', new Uint16Array(0), dims);
    case 'int64':
      return new ort.Tensor('int64', new BigInt64Array(0), dims);
    case 'int32':
      return new ort.Tensor('int32', new Int32Array(0), dims);
    default:
      return new ort.Tensor('float32', new Float32Array(0), dims);
  }
}

export async function loadServedModel(name: string, dir: string, maxModelLenOverride?: number): Promise<ServedModel> {
  const config = readJson(join(dir, 'config.json'), false);
  const generation = readJson(join(dir, 'generation_config.json'), true);
  const tokenizerJson = readJson(join(dir, 'tokenizer.json'), false);
  const tokenizerConfig = readJson(join(dir, 'tokenizer_config.json'), true);
  const hf = new HfTokenizer(tokenizerJson, tokenizerConfig) as unknown as HfLike;

  let maxTokenId = -1;
  let maxCharsPerToken = 0;
  for (const [token, id] of hf.get_vocab(true)) {
    maxTokenId = Math.max(maxTokenId, id);
    maxCharsPerToken = Math.max(maxCharsPerToken, [...token].length);
  }
  const vocabSize = num(config.vocab_size) ?? maxTokenId + 1;
  const contextLen =
    num(config.max_position_embeddings) ?? num(config.n_positions) ?? num(config.n_ctx) ?? num(tokenizerConfig.model_max_length) ?? 2048;
  const maxModelLen = maxModelLenOverride ?? contextLen;

  const eosName = tokenContent(tokenizerConfig.eos_token);
  const eosFromTokenizer = eosName === undefined ? undefined : hf.token_to_id(eosName);
  const configEos = num(config.eos_token_id);
  const eosTokenId = eosFromTokenizer ?? configEos;
  const genEos = generation.eos_token_id;
  const genEosIds = typeof genEos === 'number' ? [genEos] : Array.isArray(genEos) ? genEos.filter((x): x is number => typeof x === 'number') : [];
  const extraEosIds = [...new Set(genEosIds)].filter((id) => id !== eosTokenId);
  const generationDefaults: GenerationDefaults = {};
  for (const key of ['temperature', 'top_p', 'top_k', 'min_p', 'repetition_penalty'] as const) {
    const value = num(generation[key]);
    if (value !== undefined) generationDefaults[key] = value;
  }

  const heads = num(config.n_head) ?? num(config.num_attention_heads) ?? 1;
  const width = num(config.n_embd) ?? num(config.hidden_size) ?? heads;
  const headDim = num(config.head_dim) ?? Math.max(1, Math.floor(width / heads));
  const kvHeads = num(config.num_key_value_heads) ?? heads;

  // Optimum's layout (model.onnx) or transformers.js's (onnx/model.onnx), as the bench's models are written.
  const graph = existsSync(join(dir, 'model.onnx')) ? join(dir, 'model.onnx') : join(dir, 'onnx', 'model.onnx');
  const session = await ort.InferenceSession.create(graph, sessionOptions);
  const inputs = session.inputMetadata;
  if (!session.outputNames.includes('logits')) {
    await session.release();
    throw new Error(`vllm test server: ${dir}: the model has no \`logits\` output (outputs: ${session.outputNames.join(', ')})`);
  }
  const outputName = 'logits';
  let released = false;
  const running = new Set<Promise<unknown>>();

  /** Zero-length past: symbolic batch dims get the batch, other symbolic dims the config's sizes, the sequence 0. */
  const pastDims = (meta: ort.InferenceSession.ValueMetadata, batch: number): number[] => {
    const shape = meta.isTensor ? meta.shape : [];
    if (shape.length === 0) return meta.name.startsWith('past_key_values') ? [batch, kvHeads, 0, headDim] : [2, batch, kvHeads, 0, headDim];
    return shape.map((dim, index) => {
      if (typeof dim === 'number' && dim >= 0) return dim;
      const label = String(dim).toLowerCase();
      if (label.includes('batch')) return batch;
      if (/past|seq|length|total|time/.test(label)) return 0;
      // An unnamed symbolic dim: heads before the sequence axis, head size after it.
      const seqAxis = shape.length - 2;
      if (index < seqAxis) return index === 0 ? batch : kvHeads;
      if (index === seqAxis) return 0;
      return headDim;
    });
  };

  const forward = async (rows: readonly (readonly number[])[]): Promise<ForwardResult> => {
    if (released) throw new Error('vllm test server: model closed');
    const batch = rows.length;
    const length = rows[0].length;
    const flat: number[] = [];
    for (const row of rows) {
      if (row.length !== length) throw new Error('vllm test server: rows of unequal length');
      flat.push(...row);
    }
    const feeds: Record<string, ort.Tensor> = {};
    for (const meta of inputs) {
      const type = meta.isTensor ? meta.type : 'float32';
      const intType: IntType = type === 'int32' ? 'int32' : 'int64';
      if (meta.name === 'input_ids') feeds[meta.name] = intTensor(intType, flat, [batch, length]);
      else if (meta.name === 'attention_mask') feeds[meta.name] = intTensor(intType, new Array<number>(batch * length).fill(1), [batch, length]);
      else if (meta.name === 'position_ids') feeds[meta.name] = intTensor(intType, rows.flatMap(() => Array.from({ length }, (_, i) => i)), [batch, length]);
      else if (meta.name === 'token_type_ids') feeds[meta.name] = intTensor(intType, new Array<number>(batch * length).fill(0), [batch, length]);
      else if (meta.name.startsWith('past')) feeds[meta.name] = emptyTensor(type, pastDims(meta, batch));
      else if (meta.name === 'use_cache_branch') feeds[meta.name] = new ort.Tensor('bool', [false], [1]);
      else throw new Error(`vllm test server: ${dir}: model input ${meta.name} is not supported`);
    }
    const run = session.run(feeds, [outputName]);
    running.add(run);
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await run;
    } finally {
      running.delete(run);
    }
    const tensor = out[outputName];
    const dims = tensor.dims;
    const data = tensor.data;
    const logits = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
    return { logits, batch: dims[0], seq: dims[1], vocab: dims[dims.length - 1] };
  };

  return {
    name,
    dir,
    maxModelLen,
    vocabSize,
    maxTokenId,
    maxCharsPerToken,
    eosTokenId,
    extraEosIds,
    generationDefaults,
    inputNames: session.inputNames,
    encode: (text, addSpecialTokens) => hf.encode(text, { add_special_tokens: addSpecialTokens }).ids,
    decode: (ids, skipSpecialTokens) => hf.decode([...ids], { skip_special_tokens: skipSpecialTokens }),
    tokenString: (id) => hf.id_to_token(id) ?? '',
    decodedToken: (id) => hf.decode([id], { skip_special_tokens: false }) ?? '',
    forward,
    close: async () => {
      if (released) return;
      released = true;
      // Releasing under a running session.run would pull the graph from under it.
      await Promise.allSettled([...running]);
      await session.release();
    },
  };
}

/** log_softmax of one fp32 logits row, in float64. */
export function logSoftmax(row: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(row.length);
  for (let i = 0; i < row.length; i++) out[i] = row[i] - lse;
  return out;
}

/** vLLM's rank: how many vocabulary entries have a logprob >= the token's (1-based, ties count against it). */
export function vocabRank(logprobs: ArrayLike<number>, id: number): number {
  const target = logprobs[id];
  let rank = 0;
  for (let i = 0; i < logprobs.length; i++) if (logprobs[i] >= target) rank++;
  return rank;
}

/** The k largest entries, descending; equal values by ascending id. */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const n = values.length;
  const take = Math.min(k, n);
  if (take <= 0) return [];
  const ids = Array.from({ length: n }, (_, i) => i);
  const better = (a: number, b: number): number => {
    const va = values[a];
    const vb = values[b];
    if (Number.isNaN(va) || Number.isNaN(vb)) return Number.isNaN(va) ? (Number.isNaN(vb) ? a - b : 1) : -1;
    return vb - va || a - b;
  };
  if (take * 4 >= n) return ids.sort(better).slice(0, take);
  const picked: number[] = [];
  for (const id of ids) {
    if (picked.length < take) {
      picked.push(id);
      if (picked.length === take) picked.sort(better);
    } else if (better(id, picked[take - 1]) < 0) {
      let at = take - 1;
      while (at > 0 && better(id, picked[at - 1]) < 0) at--;
      picked.splice(at, 0, id);
      picked.pop();
    }
  }
  return picked;
}

/**
 * A seeded PRNG: splitmix64 seeds xoshiro128**; `next()` is uniform on [0, 1) with 53 bits. It stands
 * for the engine's own sampler (64-bit seeds, seed + i per child), not the project's generator
 * (src/util/random.ts): the client must not assume the two agree.
 */
export class SeededRandom {
  private s = new Uint32Array(4);

  constructor(seed: bigint) {
    let x = BigInt.asUintN(64, seed);
    const mask = (1n << 64n) - 1n;
    for (let i = 0; i < 2; i++) {
      x = (x + 0x9e3779b97f4a7c15n) & mask;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
      z ^= z >> 31n;
      this.s[2 * i] = Number(z & 0xffffffffn);
      this.s[2 * i + 1] = Number(z >> 32n);
    }
    if (this.s.every((v) => v === 0)) this.s[0] = 1;
  }

  private nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
