/**
 * K/V buffers reused from one use to the next (windows scored in segments, batches of sampled
 * rows). A new cache per use was left to the garbage collector, and they piled up: a 959-token
 * audit sample peaked 150 MB higher.
 */
export type KvData = Float32Array | Uint16Array;

export class KvBuffers {
  private buffers: KvData[] = [];

  /** One buffer per past input, each at least `size` elements (float16 as raw Uint16 bits). */
  take(count: number, size: number, fp16: boolean): KvData[] {
    if (this.buffers.length !== count || this.buffers[0].length < size || this.buffers[0] instanceof Uint16Array !== fp16) {
      this.buffers = Array.from({ length: count }, () => (fp16 ? new Uint16Array(size) : new Float32Array(size)));
    }
    return this.buffers;
  }
}
