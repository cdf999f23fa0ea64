/**
 * K/V buffers reused from one use to the next (windows scored in segments, batches of sampled
 * rows). A new cache per use was left to the garbage collector, and they piled up: a 959-token
 * audit sample peaked 150 MB higher.
 *
 * The buffers are views of one allocation: a cache of tens of MB is then mapped by itself and given
 * back to the system when it is dropped, where one buffer per past input (a few MB each) came from
 * the C heap, whose holes outlived them (an audit's heap held 100 MB more than its live buffers).
 */
import { collectNow } from './garbage.js';

export type KvData = Float32Array | Uint16Array;

/** A cache at least this large is collected as soon as it is released. */
const COLLECT_AT = 16 * 2 ** 20;

export class KvBuffers {
  private buffers: KvData[] = [];

  /** One buffer per past input, each at least `size` elements (float16 as raw Uint16 bits). */
  take(count: number, size: number, fp16: boolean): KvData[] {
    if (this.buffers.length !== count || this.buffers[0].length < size || this.buffers[0] instanceof Uint16Array !== fp16) {
      const all = fp16 ? new Uint16Array(count * size) : new Float32Array(count * size);
      this.buffers = Array.from({ length: count }, (_, i) => all.subarray(i * size, (i + 1) * size));
    }
    return this.buffers;
  }

  /** The buffers last taken (views of one allocation). */
  get views(): readonly KvData[] {
    return this.buffers;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.buffers.reduce((n, b) => n + b.byteLength, 0);
  }

  /**
   * Drops the buffers once their work is done (a call's windows, a call's batches of rows): a
   * target's 75 MB segment cache would otherwise sit beside the reference's sampling, and its fixed
   * cache beside the target's scoring. A large one is collected at once.
   */
  release(): void {
    const bytes = this.bytes;
    this.buffers = [];
    if (bytes >= COLLECT_AT) collectNow();
  }
}

/**
 * A cache this small stays with the model between calls. Fresh memory costs about 4.5 ms per MB to
 * touch on this VM (performance-notes.md obs. 1; bench/ measured 1.1 s for GPT-2 small's 240 MB
 * pool): on gpt2-mini the tiled prefill into a fresh 27 MB pool was about 7% of a 100-row call, most
 * of contam's own time per decode step (issue 20, goal 5). A large model's pool is still dropped
 * after each call, so the memory bound (issue 20, goal 4) moves by at most this much.
 */
export const KEEP_KV_BYTES = 32 * 2 ** 20;

/** Pools in use by a running call. */
const busy = new WeakSet<KvBuffers>();

/**
 * Runs `work` with the model's pool (`pool`), or with fresh buffers when there is none or another
 * call holds it (a cache must be its own). The pool is kept afterwards while it holds at most
 * KEEP_KV_BYTES; fresh buffers and a larger pool are dropped.
 *
 * Sampling and segmented scoring share one pool per model: a reference that samples and then scores
 * its neighbours' long windows reuses the sampling cache for the windows, and a target's window cache
 * no longer comes new for every call of an audit's early-stopping rounds.
 */
export async function withKvBuffers<T>(pool: KvBuffers | undefined, work: (buffers: KvBuffers) => Promise<T>): Promise<T> {
  const pooled = pool && !busy.has(pool) ? pool : undefined;
  if (pooled) busy.add(pooled);
  const buffers = pooled ?? new KvBuffers();
  try {
    return await work(buffers);
  } finally {
    if (!pooled || buffers.bytes > KEEP_KV_BYTES) buffers.release();
    if (pooled) busy.delete(pooled);
  }
}
