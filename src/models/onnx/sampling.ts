/**
 * Batched, seeded sampling with the KV cache. One prefix is prefilled once (performance-notes.md:
 * prefilling n identical rows costs a quarter of the run), and its cache serves the n continuations:
 * read in place by every row where the split attention took every layer (fixed-cache.ts
 * sharedPrefixWorks), else tiled into each row. Finished rows leave the batch, so later steps only
 * pay for live ones.
 *
 * Memory: the cache costs rows x new tokens (rows x (prefix + new tokens) when the prefix is tiled)
 * x the model's K/V bytes per token in JS, and
 * as much again inside onnxruntime when the export's attention concatenates past and new (with the
 * split attention of graph-attention.ts a decode step holds only its new position there). For a
 * long text that is hundreds of MB even for a small model, so the rows go in batches that keep the
 * cache within a budget (a graph without a cache re-feeds whole rows: its batches keep rows x length
 * within the token budget instead). Every row draws from its own seeded stream, so how the rows are
 * batched never changes what is sampled.
 */
import { endianness } from 'node:os';
import { derivedRandom } from '../../util/random.js';
import { asFloat32 } from './half.js';
import { forward } from './forward.js';
import { topK as jsTopK } from './logit-stats.js';
import { HEAD, ort, type OpenedSession } from './session.js';
import { FixedCache, fixedCacheWorks, sharedPrefixWorks } from './fixed-cache.js';
import { withKvBuffers, type KvBuffers } from './kv-buffers.js';
import { newKvName } from './graph-head.js';
import { segmentRows, segmentSupport } from './segments.js';
import { kvBytesPerToken, type KvSpec } from './signature.js';
import type { SampleOptions } from '../types.js';

export interface SamplerContext {
  readonly eosId: number | undefined;
  readonly vocab: number;
  /** Most bytes of K/V cache one batch of rows may hold (JS side; onnxruntime holds as much again unless the attention is split). */
  readonly kvBudget: number;
  /** Graphs without a KV cache: most rows x sequence positions per forward pass. */
  readonly tokenBudget: number;
  /**
   * The model's fixed-cache buffers, kept from one call to the next while they hold at most
   * KEEP_KV_BYTES and shared with segmented scoring (kv-buffers.ts withKvBuffers); without it (or
   * when larger) every call takes fresh ones and drops them after.
   */
  readonly kvPool?: KvBuffers;
}

/** How many rows one batch may sample for `capacity` tokens (prefix + new) within the budgets. */
export function rowsPerBatch(kv: KvSpec | undefined, ctx: SamplerContext, capacity: number): number {
  const perRow = kv ? capacity * kvBytesPerToken(kv) : capacity;
  return Math.max(1, Math.floor((kv ? ctx.kvBudget : ctx.tokenBudget) / perRow));
}

interface Candidates {
  readonly values: ArrayLike<number>;
  /** Candidate token ids, row-major [rows, k]. */
  readonly ids: ArrayLike<number>;
  readonly k: number;
}

/**
 * Scratch for pickToken, grown to the largest k seen. A decode step picks a token for every row,
 * and the arrays it built per row (ids, logits, probabilities, their slices, a BigInt per id) were
 * 26 MB of the 41 MB of JS a gpt2-mini call of 100 rows x 40 tokens allocated, and the K/V
 * append's subarrays 12 MB more (fixed-cache.ts): V8's young collections ran every other step.
 * Without them the call allocates 3 MB (V8's sampling heap profiler, objects collected included).
 */
let pickIds = new Float64Array(0);
let pickProbs = new Float64Array(0);

/**
 * Picks one token from the top-k logits of a row: temperature, then top-k, then top-p, as transformers
 * does. The sums run in the same order as always, so a seed draws the same tokens.
 */
export function pickToken(c: Candidates, row: number, o: SampleOptions, banned: number | undefined, rng: () => number): number {
  if (pickIds.length < c.k) {
    pickIds = new Float64Array(c.k);
    pickProbs = new Float64Array(c.k);
  }
  // Kept candidates: their ids, and their logits (in pickProbs until they become probabilities).
  let count = 0;
  for (let j = 0; j < c.k; j++) {
    const id = c.ids[row * c.k + j];
    if (id === banned) continue;
    pickIds[count] = id;
    pickProbs[count] = c.values[row * c.k + j];
    count++;
  }
  const temperature = o.temperature ?? 1;
  const limit = o.topK && o.topK > 0 ? o.topK : count;
  if (temperature <= 0 || limit === 1) return pickIds[0];
  const n = Math.min(limit, count);
  const top = pickProbs[0];
  let total = 0;
  for (let j = 0; j < n; j++) {
    pickProbs[j] = Math.exp((pickProbs[j] - top) / temperature);
    total += pickProbs[j];
  }
  let keep = n;
  const topP = o.topP ?? 1;
  if (topP < 1) {
    let cumulative = 0;
    for (let j = 0; j < n; j++) {
      cumulative += pickProbs[j] / total;
      if (cumulative >= topP) {
        keep = j + 1;
        break;
      }
    }
  }
  let kept = 0;
  for (let j = 0; j < keep; j++) kept += pickProbs[j];
  let u = rng() * kept;
  for (let j = 0; j < keep; j++) {
    u -= pickProbs[j];
    if (u < 0) return pickIds[j];
  }
  return pickIds[keep - 1];
}

/** Keeps the given batch rows of a KV tensor (or repeats one row), along the signature's batch axis. */
export function selectRows(t: ort.Tensor, batchAxis: number, rows: readonly number[]): ort.Tensor {
  const dims = t.dims;
  const outer = dims.slice(0, batchAxis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(batchAxis + 1).reduce((a, b) => a * b, 1);
  const batch = dims[batchAxis];
  const src = t.data as Float32Array | Uint16Array;
  const out = new (src.constructor as Float32ArrayConstructor | Uint16ArrayConstructor)(outer * rows.length * inner);
  for (let o = 0; o < outer; o++) {
    rows.forEach((r, i) => {
      const from = (o * batch + r) * inner;
      out.set(src.subarray(from, from + inner), (o * rows.length + i) * inner);
    });
  }
  const newDims = [...dims];
  newDims[batchAxis] = rows.length;
  return new ort.Tensor(t.type as 'float32', out as Float32Array, newDims);
}

const littleEndian = endianness() === 'LE';

/**
 * TopK's int64 indices as numbers. Reading a BigInt64Array makes a BigInt per element; token ids are
 * below 2^31, so on a little-endian machine the low 32-bit word of each is the id, read as it lies.
 */
function tokenIds(indices: BigInt64Array): Int32Array {
  const ids = new Int32Array(indices.length);
  if (littleEndian) {
    const words = new Int32Array(indices.buffer, indices.byteOffset, indices.length * 2);
    for (let i = 0; i < ids.length; i++) ids[i] = words[2 * i];
  } else {
    for (let i = 0; i < ids.length; i++) ids[i] = Number(indices[i]);
  }
  return ids;
}

async function candidates(s: OpenedSession, out: ort.InferenceSession.ReturnType, k: number): Promise<Candidates> {
  if (s.hasHead) return { values: out[HEAD.topValues].data as Float32Array, ids: tokenIds(out[HEAD.topIndices].data as BigInt64Array), k };
  const logits = asFloat32(out.logits.data);
  const [batch, seq, vocab] = out.logits.dims as number[];
  const values: number[] = [];
  const indices: number[] = [];
  for (let b = 0; b < batch; b++) {
    const top = jsTopK(logits, (b * seq + seq - 1) * vocab, vocab, k);
    values.push(...top.values);
    indices.push(...top.indices);
  }
  return { values, ids: indices, k };
}

/** n continuations (new token ids only) of one already-tokenized prefix. */
export async function sampleContinuations(
  s: OpenedSession,
  ctx: SamplerContext,
  prefix: readonly number[],
  o: SampleOptions,
): Promise<number[][]> {
  if (o.n <= 0 || o.maxNewTokens <= 0) return Array.from({ length: Math.max(0, o.n) }, () => []);
  const wanted = o.topK && o.topK > 0 ? o.topK : ctx.vocab;
  // One spare candidate so a banned EOS (before minNewTokens) never empties the list.
  const k = Math.min(ctx.vocab, (o.temperature ?? 1) <= 0 ? 2 : wanted + 1);
  const kv = s.signature.kv;
  const fetch = [...(s.hasHead ? [HEAD.topValues, HEAD.topIndices] : ['logits']), ...(kv ? kv.presentNames : [])];
  // One prefill serves every batch of rows.
  const prefill = await prefillPrefix(s, ctx, prefix, k, fetch);
  const cand = await candidates(s, prefill, k);
  const rngs = Array.from({ length: o.n }, (_, row) => derivedRandom(o.seed ?? 0, `row ${row}`));
  // Rows that share the prefix's K/V hold only their new tokens' (fixed-cache.ts sharedPrefixWorks).
  const shared = !!kv && (await sharedPrefixWorks(s, ctx.vocab));
  const most = rowsPerBatch(kv, ctx, (shared ? 0 : prefix.length) + o.maxNewTokens);
  // Equal batches (100 rows at most 61 a batch: 50 + 50, not 61 + 39): the cache, sized by the
  // first batch, then has fewer fresh pages to touch, at the same number of steps.
  const step = Math.ceil(o.n / Math.ceil(o.n / most));
  const out: number[][] = [];
  await withKvBuffers(ctx.kvPool, async (buffers) => {
    for (let at = 0; at < o.n; at += step) {
      out.push(...(await sampleBatch(s, ctx, prefix, o, rngs.slice(at, at + step), { prefill, cand, k, fetch, buffers, shared })));
    }
  });
  return out;
}

/**
 * The prefix's forward pass. A prefix longer than the token budget goes in segments through the
 * KV cache when the graph allows it (segments.ts): its [positions, vocab] logits would otherwise
 * be held whole, 77 MB for 384 tokens at GPT-2's vocabulary.
 */
async function prefillPrefix(s: OpenedSession, ctx: SamplerContext, prefix: readonly number[], k: number, fetch: readonly string[]) {
  const kv = s.signature.kv;
  if (!kv || prefix.length <= ctx.tokenBudget || !(await segmentSupport(s, prefix, 0)).presents) {
    return forward(s, { ids: [[...prefix]], mask: [prefix.map(() => 1)], topK: k, fetch });
  }
  let past: ort.Tensor[] | undefined;
  const step = segmentRows(prefix.length, ctx.tokenBudget, ctx.vocab, kv);
  for (let a = 0; ; a += step) {
    const b = Math.min(prefix.length, a + step);
    const last = b === prefix.length;
    const out = await forward(s, { ids: [prefix.slice(a, b)], mask: [new Array(b).fill(1)], past, topK: k, fetch: last ? fetch : kv.presentNames });
    if (last) return out;
    past = kv.presentNames.map((name) => out[name]);
  }
}

interface Prefilled {
  readonly prefill: ort.InferenceSession.ReturnType;
  readonly cand: Candidates;
  readonly k: number;
  readonly fetch: readonly string[];
  /** The fixed cache's buffers, shared by the batches. */
  readonly buffers: KvBuffers;
  /** The rows read the prefill's K/V in place (batch 1) and their slots hold only new tokens. */
  readonly shared: boolean;
}

/**
 * The batch's fixed cache: slots for the new tokens behind the shared prefix, or slots for prefix and
 * new tokens with the prefix tiled into each row; undefined where the graph takes neither.
 */
async function fixedCacheOf(s: OpenedSession, ctx: SamplerContext, kv: KvSpec, start: Prefilled, rows: number, prefixLength: number, newTokens: number): Promise<FixedCache | undefined> {
  const presents = kv.presentNames.map((name) => start.prefill[name]);
  if (start.shared) return FixedCache.afterShared(kv, presents, rows, newTokens, start.buffers);
  if (await fixedCacheWorks(s, ctx.vocab)) return FixedCache.fromPrefill(kv, presents, rows, prefixLength + newTokens, start.buffers);
  return undefined;
}

/** One batch of rows, one continuation per seeded stream. */
async function sampleBatch(
  s: OpenedSession,
  ctx: SamplerContext,
  prefix: readonly number[],
  o: SampleOptions,
  rngs: readonly (() => number)[],
  start: Prefilled,
): Promise<number[][]> {
  const n = rngs.length;
  const minNew = o.minNewTokens ?? 0;
  const { k, fetch } = start;
  const kv = s.signature.kv;
  const generated: number[][] = Array.from({ length: n }, () => []);
  let out = start.prefill;
  let cand = start.cand;
  let live = generated.map((_, i) => i);
  // Every row starts from the same prefill distribution.
  let rowOf = live.map(() => 0);
  // Decode steps then return only the new K/V when the graph allows it (fixed-cache.ts).
  const fixed = kv && (await fixedCacheOf(s, ctx, kv, start, n, prefix.length, o.maxNewTokens));
  const stepFetch = fixed && kv ? [HEAD.topValues, HEAD.topIndices, ...kv.presentNames.map(newKvName)] : fetch;
  let past = kv && !fixed ? kv.presentNames.map((name) => selectRows(out[name], kv.batchAxis, rowOf)) : undefined;
  for (let step = 0; step < o.maxNewTokens && live.length > 0; step++) {
    const banned = step < minNew ? ctx.eosId : undefined;
    const next = live.map((row, i) => pickToken(cand, rowOf[i], o, banned, rngs[row]));
    next.forEach((token, i) => generated[live[i]].push(token));
    const keep = live.map((_, i) => i).filter((i) => next[i] !== ctx.eosId && step + 1 < o.maxNewTokens);
    if (keep.length === 0) break;
    if (kv && past && keep.length < live.length) past = past.map((t) => selectRows(t, kv.batchAxis, keep));
    if (fixed && keep.length < live.length) fixed.keep(keep);
    live = keep.map((i) => live[i]);
    const length = prefix.length + step + 1;
    const ids = kv ? live.map((row) => [generated[row][step]]) : live.map((row) => [...prefix, ...generated[row]]);
    // One array for every row: forward builds its tensor row once (forward.ts).
    const row = fixed ? fixed.maskRow() : new Array(length).fill(1);
    const mask = live.map(() => row);
    out = await forward(s, { ids, mask, past: fixed ? fixed.tensors : past, shared: fixed?.shared, topK: k, fetch: stepFetch });
    cand = await candidates(s, out, k);
    rowOf = live.map((_, i) => i);
    if (fixed && kv) fixed.append(kv.presentNames.map((name) => out[newKvName(name)]));
    else if (kv) past = kv.presentNames.map((name) => out[name]);
  }
  // EOS ends a sequence but is not part of its text.
  return generated.map((ids) => (ids[ids.length - 1] === ctx.eosId ? ids.slice(0, -1) : ids));
}
