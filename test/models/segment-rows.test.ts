import { describe, expect, it } from 'vitest';
import { segmentRows } from '../../src/models/onnx/segments.js';
import { kvBytesPerToken, type KvSpec } from '../../src/models/onnx/signature.js';

// GPT-2 small: 12 layers x key and value, 12 heads of 64, float32: 73,728 bytes per token.
const gpt2Small: KvSpec = {
  convention: 'optimum',
  pastNames: Array.from({ length: 24 }, (_, i) => `past_key_values.${i >> 1}.${i % 2 ? 'value' : 'key'}`),
  presentNames: Array.from({ length: 24 }, (_, i) => `present.${i >> 1}.${i % 2 ? 'value' : 'key'}`),
  dtype: 'float32',
  heads: 12,
  headDim: 64,
  batchAxis: 0,
  lengthAxis: 2,
};

describe('rows per segment of a long window', () => {
  it('a segment pass holds no more than a short pass: head rows give way to the cache of the window', () => {
    expect(kvBytesPerToken(gpt2Small)).toBe(73_728);
    const vocab = 50257;
    const headBytes = (rows: number) => 1.5 * rows * vocab * 4;
    for (const length of [200, 300]) {
      const rows = segmentRows(length, 256, vocab, gpt2Small);
      expect(rows).toBeLessThan(256);
      expect(headBytes(rows) + length * kvBytesPerToken(gpt2Small)).toBeLessThanOrEqual(headBytes(256));
      // Equal segments: the last one is not a short remainder.
      expect(Math.ceil(length / rows) * rows - length).toBeLessThan(Math.ceil(length / rows));
    }
    expect(segmentRows(300, 256, vocab, gpt2Small)).toBe(150);
    // The window's cache alone outweighs a short pass: a quarter of the budget.
    expect(segmentRows(1000, 256, vocab, gpt2Small)).toBe(63);
  });

  it('never drops below a quarter of the budget, however long the cache', () => {
    expect(segmentRows(4096, 64, 50257, gpt2Small)).toBe(16);
  });
});
