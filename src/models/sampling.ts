/**
 * Batched, seeded sampling with the KV cache. One prefix is prefilled once; its cache is tiled to
 * the n continuations (performance-notes.md: prefilling n identical rows costs a quarter of the run).
 * Finished rows leave the batch, so later steps only pay for live ones.
 */
import { createRng } from '../util/rng.js';
import { asFloat32 } from './half.js';
import { forward } from './forward.js';
import { topK as jsTopK } from './logit-stats.js';
import { HEAD, ort, type OpenedSession } from './session.js';
import { FixedCache, fixedCacheWorks } from './fixed-cache.js';
import { newKvName } from './graph-head.js';
import type { SampleOptions } from './types.js';

export interface SamplerContext {
  readonly eosId: number | undefined;
  readonly vocab: number;
}

interface Candidates {
  readonly values: ArrayLike<number>;
  readonly indices: ArrayLike<number | bigint>;
  readonly k: number;
}

/** Picks one token from the top-k logits of a row: temperature, then top-k, then top-p, as transformers does. */
export function pickToken(c: Candidates, row: number, o: SampleOptions, banned: number | undefined, rng: () => number): number {
  const ids: number[] = [];
  const logits: number[] = [];
  for (let j = 0; j < c.k; j++) {
    const id = Number(c.indices[row * c.k + j]);
    if (id === banned) continue;
    ids.push(id);
    logits.push(c.values[row * c.k + j]);
  }
  const temperature = o.temperature ?? 1;
  const limit = o.topK && o.topK > 0 ? o.topK : ids.length;
  if (temperature <= 0 || limit === 1) return ids[0];
  const n = Math.min(limit, ids.length);
  const probs = logits.slice(0, n).map((l) => Math.exp((l - logits[0]) / temperature));
  const total = probs.reduce((a, b) => a + b, 0);
  let keep = n;
  const topP = o.topP ?? 1;
  if (topP < 1) {
    let cumulative = 0;
    for (let j = 0; j < n; j++) {
      cumulative += probs[j] / total;
      if (cumulative >= topP) {
        keep = j + 1;
        break;
      }
    }
  }
  const kept = probs.slice(0, keep).reduce((a, b) => a + b, 0);
  let u = rng() * kept;
  for (let j = 0; j < keep; j++) {
    u -= probs[j];
    if (u < 0) return ids[j];
  }
  return ids[keep - 1];
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

async function candidates(s: OpenedSession, out: ort.InferenceSession.ReturnType, k: number): Promise<Candidates> {
  if (s.hasHead) return { values: out[HEAD.topValues].data as Float32Array, indices: out[HEAD.topIndices].data as BigInt64Array, k };
  const logits = asFloat32(out.logits.data);
  const [batch, seq, vocab] = out.logits.dims as number[];
  const values: number[] = [];
  const indices: number[] = [];
  for (let b = 0; b < batch; b++) {
    const top = jsTopK(logits, (b * seq + seq - 1) * vocab, vocab, k);
    values.push(...top.values);
    indices.push(...top.indices);
  }
  return { values, indices, k };
}

/** n continuations (new token ids only) of one already-tokenized prefix. */
export async function sampleContinuations(
  s: OpenedSession,
  ctx: SamplerContext,
  prefix: readonly number[],
  o: SampleOptions,
): Promise<number[][]> {
  const rng = createRng(o.seed ?? 0);
  const minNew = o.minNewTokens ?? 0;
  const wanted = o.topK && o.topK > 0 ? o.topK : ctx.vocab;
  // One spare candidate so a banned EOS (before minNewTokens) never empties the list.
  const k = Math.min(ctx.vocab, (o.temperature ?? 1) <= 0 ? 2 : wanted + 1);
  const kv = s.signature.kv;
  const fetch = [...(s.hasHead ? [HEAD.topValues, HEAD.topIndices] : ['logits']), ...(kv ? kv.presentNames : [])];
  const generated: number[][] = Array.from({ length: o.n }, () => []);
  if (o.n <= 0 || o.maxNewTokens <= 0) return generated;

  let out = await forward(s, { ids: [[...prefix]], mask: [prefix.map(() => 1)], topK: k, fetch });
  let cand = await candidates(s, out, k);
  let live = generated.map((_, i) => i);
  // Every row starts from the same prefill distribution.
  let rowOf = live.map(() => 0);
  // Decode steps then return only the new K/V when the graph allows it (fixed-cache.ts).
  const fixed = kv && (await fixedCacheWorks(s, ctx.vocab)) ? FixedCache.fromPrefill(kv, kv.presentNames.map((n) => out[n]), o.n, prefix.length + o.maxNewTokens) : undefined;
  const stepFetch = fixed && kv ? [HEAD.topValues, HEAD.topIndices, ...kv.presentNames.map(newKvName)] : fetch;
  let past = kv && !fixed ? kv.presentNames.map((name) => selectRows(out[name], kv.batchAxis, rowOf)) : undefined;
  for (let step = 0; step < o.maxNewTokens && live.length > 0; step++) {
    const banned = step < minNew ? ctx.eosId : undefined;
    const next = live.map((_, i) => pickToken(cand, rowOf[i], o, banned, rng));
    next.forEach((token, i) => generated[live[i]].push(token));
    const keep = live.map((_, i) => i).filter((i) => next[i] !== ctx.eosId && step + 1 < o.maxNewTokens);
    if (keep.length === 0) break;
    if (kv && past && keep.length < live.length) past = past.map((t) => selectRows(t, kv.batchAxis, keep));
    if (fixed && keep.length < live.length) fixed.keep(keep, selectRows);
    live = keep.map((i) => live[i]);
    const length = prefix.length + step + 1;
    const ids = kv ? live.map((row) => [generated[row][step]]) : live.map((row) => [...prefix, ...generated[row]]);
    const mask = fixed ? live.map(() => fixed.maskRow()) : live.map(() => new Array(length).fill(1));
    out = await forward(s, { ids, mask, past: fixed ? fixed.tensors : past, topK: k, fetch: stepFetch });
    cand = await candidates(s, out, k);
    rowOf = live.map((_, i) => i);
    if (fixed && kv) fixed.append(kv.presentNames.map((n) => out[newKvName(n)]));
    else if (kv) past = kv.presentNames.map((name) => out[name]);
  }
  // EOS ends a sequence but is not part of its text.
  return generated.map((ids) => (ids[ids.length - 1] === ctx.eosId ? ids.slice(0, -1) : ids));
}
