import { describe, expect, it } from 'vitest';
import { FixedCache } from '../../src/models/onnx/fixed-cache.js';
import { KEEP_KV_BYTES, KvBuffers, withKvBuffers } from '../../src/models/onnx/kv-buffers.js';
import { ort } from '../../src/models/onnx/session.js';
import type { KvSpec } from '../../src/models/onnx/signature.js';

const spec = (convention: 'optimum' | 'stacked'): KvSpec => ({
  convention,
  pastNames: ['past_a', 'past_b'],
  presentNames: ['present_a', 'present_b'],
  dtype: 'float32',
  heads: 2,
  headDim: 3,
  batchAxis: convention === 'optimum' ? 0 : 1,
  lengthAxis: convention === 'optimum' ? 2 : 3,
});

/** A one-row present of `length` positions whose every value says where it came from. */
function present(kv: KvSpec, length: number, tag: number): ort.Tensor {
  const outer = kv.convention === 'stacked' ? 2 : 1;
  const data = Float32Array.from({ length: outer * kv.heads * length * kv.headDim }, (_, i) => tag * 1000 + i);
  const dims = kv.convention === 'stacked' ? [2, 1, kv.heads, length, kv.headDim] : [1, kv.heads, length, kv.headDim];
  return new ort.Tensor('float32', data, dims);
}

describe('K/V buffers', () => {
  it('hands out views of one allocation, reused while large enough', () => {
    const buffers = new KvBuffers();
    const a = buffers.take(3, 10, false);
    expect(a.map((b) => b.length)).toEqual([10, 10, 10]);
    expect(new Set(a.map((b) => b.buffer)).size).toBe(1);
    expect(buffers.take(3, 8, false)).toBe(a);
    const grown = buffers.take(3, 12, false);
    expect(grown).not.toBe(a);
    expect(buffers.take(3, 12, true)[0]).toBeInstanceOf(Uint16Array);
  });

  it("a model's pool serves one call at a time, and stays with the model only while small", async () => {
    const pool = new KvBuffers();
    await withKvBuffers(pool, async (buffers) => {
      expect(buffers).toBe(pool);
      buffers.take(2, 10, false);
      // A call that overlaps this one (the same model, side by side) gets buffers of its own.
      await withKvBuffers(pool, async (inner) => {
        expect(inner).not.toBe(pool);
        inner.take(2, 10, false);
      });
    });
    expect(pool.bytes).toBe(2 * 10 * 4);
    await withKvBuffers(pool, async (buffers) => void buffers.take(1, KEEP_KV_BYTES / 4 + 1, false));
    expect(pool.bytes).toBe(0);
    // A call that fails still hands the pool back.
    await expect(withKvBuffers(pool, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await withKvBuffers(pool, async (buffers) => void expect(buffers).toBe(pool));
  });

  for (const convention of ['optimum', 'stacked'] as const) {
    it(`${convention}: finished rows leave in place, the others keep their slots, new tokens land after them`, () => {
      const kv = spec(convention);
      const presents = [present(kv, 2, 1), present(kv, 2, 2)];
      const cache = FixedCache.fromPrefill(kv, presents, 4, 5, new KvBuffers());
      // Mark each row's third slot with its row number, as a decode step would.
      const outer = convention === 'stacked' ? 2 : 1;
      const newKv = (rows: number, base: number) =>
        [0, 1].map(() => new ort.Tensor('float32', Float32Array.from({ length: outer * rows * kv.heads * kv.headDim }, (_, i) => base + Math.floor(i / (kv.heads * kv.headDim)) % rows), [outer, rows, kv.heads, kv.headDim].slice(convention === 'stacked' ? 0 : 1)));
      cache.append(newKv(4, 100));
      cache.keep([1, 3]);
      expect(cache.tensors[0].dims[kv.batchAxis]).toBe(2);
      const rowSize = kv.heads * 5 * kv.headDim;
      cache.tensors.forEach((t, n) => {
        const data = t.data as Float32Array;
        expect(data.length).toBe(outer * 2 * rowSize);
        for (let o = 0; o < outer; o++) {
          for (const [i, row] of [1, 3].entries()) {
            for (let h = 0; h < kv.heads; h++) {
              const slot = (s: number) => ((o * 2 + i) * kv.heads + h) * 5 * kv.headDim + s * kv.headDim;
              // The prefill's two positions are the same in every row.
              expect(data[slot(0)]).toBe((n + 1) * 1000 + (o * kv.heads + h) * 2 * kv.headDim);
              expect(data[slot(2)]).toBe(100 + row);
            }
          }
        }
      });
      cache.append(newKv(2, 200));
      expect(cache.length).toBe(4);
      const d = cache.tensors[1].data as Float32Array;
      expect(d[kv.heads * 5 * kv.headDim + 3 * kv.headDim]).toBe(201);
    });
  }
});
