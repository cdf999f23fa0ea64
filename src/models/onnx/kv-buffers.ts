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
