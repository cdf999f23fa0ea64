/** One forward pass over a padded batch: builds every input the signature asks for. */
import { lookupEmbeddings } from './embedding.js';
import { PRESENTS_INPUT, sharedPastName } from './graph-attention.js';
import { HEAD, ort, type Feeds, type OpenedSession } from './session.js';
import type { IntType, KvSpec } from './signature.js';

export interface ForwardInput {
  /** New token ids, [batch, seq] row-major. */
  readonly ids: readonly number[][];
  /** Mask over past + new tokens per row (1 real, 0 pad). */
  readonly mask: readonly number[][];
  /** KV tensors in signature order, or undefined for an empty past. */
  readonly past?: readonly ort.Tensor[];
  /** A past of batch 1 every row reads before its own (signature order; session.sharedPasts), or undefined for none. */
  readonly shared?: readonly ort.Tensor[];
  /** Scoring head: the token each position should predict, [batch, seq]. */
  readonly targets?: readonly number[][];
  /** Sampling head: how many top logits to return at the last position. */
  readonly topK?: number;
  readonly fetch: readonly string[];
  /** Return every new position's K/V in the contam_tail_* outputs (else only the last). */
  readonly tails?: boolean;
}

export function intTensor(type: IntType, values: ArrayLike<number>, dims: readonly number[]): ort.Tensor {
  if (type === 'int64') {
    const data = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]);
    return new ort.Tensor('int64', data, dims);
  }
  return new ort.Tensor('int32', Int32Array.from(values), dims);
}

/** [rows, row.length] holding `row` in every row. */
function repeatedRows(type: IntType, row: readonly number[], rows: number): ort.Tensor {
  const one = intTensor(type, row, [1, row.length]).data;
  const n = row.length;
  if (one instanceof BigInt64Array) {
    const data = new BigInt64Array(rows * n);
    for (let r = 0; r < rows; r++) data.set(one, r * n);
    return new ort.Tensor('int64', data, [rows, n]);
  }
  const data = new Int32Array(rows * n);
  for (let r = 0; r < rows; r++) data.set(one as Int32Array, r * n);
  return new ort.Tensor('int32', data, [rows, n]);
}

export function emptyPast(kv: KvSpec, batch: number): ort.Tensor[] {
  const dims = kv.convention === 'optimum' ? [batch, kv.heads, 0, kv.headDim] : [2, batch, kv.heads, 0, kv.headDim];
  const data = kv.dtype === 'float16' ? new Uint16Array(0) : new Float32Array(0);
  return kv.pastNames.map(() => new ort.Tensor(kv.dtype, data, dims));
}

/** Positions count real tokens only, so left padding does not shift them; pads get 1 as in transformers. */
export function positionsFromMask(mask: readonly number[], seq: number): number[] {
  const out: number[] = [];
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    if (i >= mask.length - seq) out.push(mask[i] ? count : 1);
    count += mask[i] ? 1 : 0;
  }
  return out;
}

/** Per session, the empty shared-past feeds that every pass without a shared prefix takes (built once, not per pass). */
const emptyShared = new WeakMap<OpenedSession, Feeds>();

function noSharedPast(s: OpenedSession, kv: KvSpec): Feeds {
  let feeds = emptyShared.get(s);
  if (!feeds) {
    const empty = emptyPast(kv, 1);
    feeds = Object.fromEntries(kv.pastNames.flatMap((past, i) => (s.sharedPasts?.includes(past) ? [[sharedPastName(past), empty[i]]] : [])));
    emptyShared.set(s, feeds);
  }
  return feeds;
}

export async function forward(s: OpenedSession, input: ForwardInput): Promise<ort.InferenceSession.ReturnType> {
  const sig = s.signature;
  const batch = input.ids.length;
  const seq = input.ids[0].length;
  const total = input.mask[0].length;
  const flat = (rows: readonly (readonly number[])[]) => rows.flat();
  const feeds: Feeds = { input_ids: intTensor(sig.inputIds, flat(input.ids), [batch, seq]) };
  // Decode steps give every row the same mask array: build its row once and repeat it. Converting
  // each row's values to BigInt cost 0.4-0.5 ms of a 50-row GPT-2-small step, now 0.04-0.13 ms.
  const same = batch > 1 && input.mask.every((m) => m === input.mask[0]);
  if (sig.attentionMask) {
    feeds.attention_mask = same ? repeatedRows(sig.attentionMask, input.mask[0], batch) : intTensor(sig.attentionMask, flat(input.mask), [batch, total]);
  }
  if (sig.positionIds) {
    feeds.position_ids = same
      ? repeatedRows(sig.positionIds, positionsFromMask(input.mask[0], seq), batch)
      : intTensor(sig.positionIds, input.mask.flatMap((m) => positionsFromMask(m, seq)), [batch, seq]);
  }
  if (sig.tokenTypeIds) feeds.token_type_ids = intTensor(sig.tokenTypeIds, new Array(batch * seq).fill(0), [batch, seq]);
  if (sig.kv) {
    const past = input.past ?? emptyPast(sig.kv, batch);
    sig.kv.pastNames.forEach((name, i) => (feeds[name] = past[i]));
  }
  if (sig.useCacheBranch) feeds.use_cache_branch = new ort.Tensor('bool', Uint8Array.from([input.past ? 1 : 0]), [1]);
  if (sig.numLogitsToKeep) {
    const name = sig.inputs.includes('num_logits_to_keep') ? 'num_logits_to_keep' : 'logits_to_keep';
    // 0 keeps every position: scoring needs them all.
    feeds[name] = intTensor(sig.numLogitsToKeep, [0], []);
  }
  if (s.hasHead) {
    const targets = input.targets ?? input.ids.map((row) => row.map(() => 0));
    feeds[HEAD.targetIds] = intTensor('int64', flat(targets), [batch, seq, 1]);
    feeds[HEAD.topK] = intTensor('int64', [input.topK ?? 1], [1]);
    // Per-position numbers only when something is scored (graph-head.ts, the If).
    feeds[HEAD.score] = new ort.Tensor('bool', Uint8Array.from([input.targets ? 1 : 0]), [1]);
    if (sig.inputs.includes(HEAD.tailFrom)) feeds[HEAD.tailFrom] = intTensor('int64', [input.tails ? -seq : -1], [1]);
    // Split attention builds the presents only for a pass that fetches them (graph-attention.ts).
    if (s.splitAttention) feeds[PRESENTS_INPUT] = new ort.Tensor('bool', Uint8Array.from([input.fetch.some((n) => sig.kv?.presentNames.includes(n)) ? 1 : 0]), [1]);
    if (s.sharedPasts && sig.kv) {
      const kv = sig.kv;
      const shared = input.shared;
      if (!shared) Object.assign(feeds, noSharedPast(s, kv));
      else kv.pastNames.forEach((past, i) => {
        if (s.sharedPasts?.includes(past)) feeds[sharedPastName(past)] = shared[i];
      });
    }
    if (s.embedding) feeds[HEAD.embeds] = lookupEmbeddings(s.embedding, input.ids);
  }
  return s.session.run(feeds, [...input.fetch]);
}
