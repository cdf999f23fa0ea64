/**
 * A KV cache kept on the JS side at a fixed capacity, for decoding. onnxruntime-node copies every
 * output into a fresh JS buffer, so returning the whole grown cache at each step cost about 40% of a
 * batch-100 decode step (bench/). Instead the past is fed from preallocated buffers whose unused
 * slots the attention mask hides, and the graph returns only the new position's K and V
 * (graph-head.ts newKvName), which are written into the next free slot.
 *
 * A masked gap between past and new token is legal for graphs that build attention from
 * attention_mask, but not for every export (e.g. kernels that read sequence lengths from the mask's
 * sum and assume no gap), so fixedCacheWorks checks it once per session against the ordinary path.
 */
import { forward } from './forward.js';
import { HEAD, ort, type OpenedSession } from './session.js';
import { newKvName } from './graph-head.js';
import type { KvSpec } from './signature.js';

import { KvBuffers, type KvData as Data } from './kv-buffers.js';

export class FixedCache {
  private filled: number;
  private readonly outer: number;

  /**
   * `shared`: a prefix's K/V of batch 1 that every row reads before its own slots (graph-attention.ts
   * sharedPastName); the slots then hold only the new tokens.
   */
  constructor(
    private readonly kv: KvSpec,
    public tensors: ort.Tensor[],
    readonly capacity: number,
    filled: number,
    readonly shared?: readonly ort.Tensor[],
  ) {
    this.filled = filled;
    this.outer = kv.batchAxis === 1 ? 2 : 1;
  }

  /**
   * Rows that read the prefill's presents (batch 1) as their shared past, and `capacity` slots each
   * for their new tokens, in `buffers`. Nothing is copied: the slots the mask hides are never read.
   */
  static afterShared(kv: KvSpec, presents: ort.Tensor[], rows: number, capacity: number, buffers = new KvBuffers()): FixedCache {
    const size = rows * kv.heads * capacity * kv.headDim;
    const pool = buffers.take(presents.length, size, kv.dtype === 'float16');
    const tensors = presents.map((p, i) => {
      const dims = [...p.dims];
      dims[kv.batchAxis] = rows;
      dims[kv.lengthAxis] = capacity;
      return new ort.Tensor(p.type as 'float32', pool[i].subarray(0, size) as Float32Array, dims);
    });
    return new FixedCache(kv, tensors, capacity, 0, presents);
  }

  /**
   * Repeats row 0 of the prefill's presents (length `length`) into `rows` rows of capacity slots,
   * in `buffers` (one batch of rows after another reuses them).
   */
  static fromPrefill(kv: KvSpec, presents: ort.Tensor[], rows: number, capacity: number, buffers = new KvBuffers()): FixedCache {
    const outer = kv.batchAxis === 1 ? 2 : 1;
    const size = outer * rows * kv.heads * capacity * kv.headDim;
    const pool = buffers.take(presents.length, size, kv.dtype === 'float16');
    const tensors = presents.map((p, i) => {
      const length = p.dims[kv.lengthAxis];
      const src = p.data as Data;
      const dims = [...p.dims];
      dims[kv.batchAxis] = rows;
      dims[kv.lengthAxis] = capacity;
      const out = pool[i].subarray(0, size);
      for (let o = 0; o < outer; o++) {
        for (let h = 0; h < kv.heads; h++) {
          const from = ((o * kv.heads + h) * length) * kv.headDim;
          const block = src.subarray(from, from + length * kv.headDim);
          for (let r = 0; r < rows; r++) out.set(block, (((o * rows + r) * kv.heads + h) * capacity) * kv.headDim);
        }
      }
      return new ort.Tensor(p.type as 'float32', out as Float32Array, dims);
    });
    return new FixedCache(kv, tensors, capacity, presents[0].dims[kv.lengthAxis]);
  }

  get length(): number {
    return this.filled;
  }

  /** Mask over the shared past, the capacity slots and the new token, the same for every row. */
  maskRow(): number[] {
    const before = this.shared ? this.shared[0].dims[this.kv.lengthAxis] : 0;
    const row = new Array(before + this.capacity + 1).fill(0);
    for (let t = 0; t < before + this.filled; t++) row[t] = 1;
    row[before + this.capacity] = 1;
    return row;
  }

  /** Writes the new position's K/V ([outer?, rows, heads, headDim] per tensor) into the next slot. */
  append(news: ort.Tensor[]): void {
    const rows = this.tensors[0].dims[this.kv.batchAxis];
    const d = this.kv.headDim;
    news.forEach((n, i) => {
      const src = n.data as Data;
      const dst = this.tensors[i].data as Data;
      // Element by element: a subarray per (row, head) made 12 MB of short-lived objects per
      // 100-row gpt2-mini sampling call, and kept V8's young collections busy.
      const blocks = this.outer * rows * this.kv.heads;
      for (let b = 0; b < blocks; b++) {
        const from = b * d;
        const to = (b * this.capacity + this.filled) * d;
        for (let j = 0; j < d; j++) dst[to + j] = src[from + j];
      }
    });
    this.filled += 1;
  }

  /** Keeps only the given rows (ascending: when sequences finish), moving them up in place. */
  keep(rows: readonly number[]): void {
    const rowSize = this.kv.heads * this.capacity * this.kv.headDim;
    this.tensors = this.tensors.map((t) => {
      const n = t.dims[this.kv.batchAxis];
      const data = t.data as Data;
      // Each row moves to a lower or equal place, in order, so no row is overwritten before it moves.
      for (let o = 0; o < this.outer; o++) {
        rows.forEach((r, i) => {
          const from = (o * n + r) * rowSize;
          const to = (o * rows.length + i) * rowSize;
          if (from !== to) data.copyWithin(to, from, from + rowSize);
        });
      }
      const dims = [...t.dims];
      dims[this.kv.batchAxis] = rows.length;
      return new ort.Tensor(t.type as 'float32', data.subarray(0, this.outer * rows.length * rowSize) as Float32Array, dims);
    });
  }
}

/** Whether two passes' top-k logits agree, within what the K/V's float type allows (relative above 1). */
export function sameTopLogits(a: ort.InferenceSession.ReturnType, b: ort.InferenceSession.ReturnType, kv: KvSpec): boolean {
  return sameValues(a[HEAD.topValues].data as Float32Array, b[HEAD.topValues].data as Float32Array, kv);
}

function sameValues(x: Float32Array, y: Float32Array, kv: KvSpec): boolean {
  const tolerance = kv.dtype === 'float16' ? 2e-2 : 1e-4;
  return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) <= tolerance * Math.max(1, Math.abs(v)));
}

/** A verdict worked out once per session; a check that throws says no. */
async function once(verdicts: WeakMap<OpenedSession, boolean>, s: OpenedSession, eligible: boolean, check: () => Promise<boolean>): Promise<boolean> {
  const known = verdicts.get(s);
  if (known !== undefined) return known;
  const ok = eligible && (await check().catch(() => false));
  verdicts.set(s, ok);
  return ok;
}

/** The checks' prefill of three tokens (its presents) and an ordinary decode step of `token` after it. */
async function probe(s: OpenedSession, kv: KvSpec, vocab: number) {
  const k = Math.min(8, vocab);
  const pre = await forward(s, { ids: [[1, 2, 3].map((t) => t % vocab)], mask: [[1, 1, 1]], topK: k, fetch: [HEAD.topValues, HEAD.topIndices, ...kv.presentNames] });
  const presents = kv.presentNames.map((n) => pre[n]);
  const plainStep = async (token: number) => {
    const out = await forward(s, { ids: [[token % vocab]], mask: [[1, 1, 1, 1]], past: presents, topK: k, fetch: [HEAD.topValues] });
    return out[HEAD.topValues].data as Float32Array;
  };
  return { k, presents, plainStep };
}

const fixedVerdicts = new WeakMap<OpenedSession, boolean>();

/** Whether one decode step through a fixed-capacity cache equals the ordinary step on this graph. */
export async function fixedCacheWorks(s: OpenedSession, vocab: number): Promise<boolean> {
  const kv = s.signature.kv;
  if (!kv) return false;
  const eligible = s.hasHead && kv.presentNames.every((n) => s.signature.outputs.includes(newKvName(n)));
  return once(fixedVerdicts, s, eligible, async () => {
    const { k, presents, plainStep } = await probe(s, kv, vocab);
    const cache = FixedCache.fromPrefill(kv, presents, 1, 6);
    const fast = await forward(s, { ids: [[4 % vocab]], mask: [cache.maskRow()], past: cache.tensors, topK: k, fetch: [HEAD.topValues] });
    return sameValues(await plainStep(4), fast[HEAD.topValues].data as Float32Array, kv);
  });
}

const sharedVerdicts = new WeakMap<OpenedSession, boolean>();

/**
 * Whether rows may read a shared prefix on this session: every past has a shared input (the split
 * attention took every layer), and two rows after a shared past give the top logits the ordinary
 * step gives, with a masked gap in their slots.
 */
export async function sharedPrefixWorks(s: OpenedSession, vocab: number): Promise<boolean> {
  const kv = s.signature.kv;
  if (!kv) return false;
  const eligible = kv.convention === 'optimum' && kv.pastNames.every((n) => s.sharedPasts?.includes(n)) && (await fixedCacheWorks(s, vocab));
  return once(sharedVerdicts, s, eligible, async () => {
    const { k, presents, plainStep } = await probe(s, kv, vocab);
    const next = [4, 5];
    const cache = FixedCache.afterShared(kv, presents, next.length, 3);
    const fast = await forward(s, { ids: next.map((t) => [t % vocab]), mask: next.map(() => cache.maskRow()), past: cache.tensors, shared: cache.shared, topK: k, fetch: [HEAD.topValues] });
    const rows = fast[HEAD.topValues].data as Float32Array;
    for (const [r, token] of next.entries()) if (!sameValues(await plainStep(token), rows.subarray(r * k, (r + 1) * k), kv)) return false;
    return true;
  });
}
