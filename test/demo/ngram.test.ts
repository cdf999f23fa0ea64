import { describe, expect, it } from 'vitest';
import { buildCuckoo } from '../../src/demo/cuckoo.js';
import { estimateNgram } from '../../src/demo/ngram.js';

describe('demo n-gram', () => {
  // Words 2..6 (0 is <|endoftext|>, 1 <unk>); the first document three times, as a memorised item.
  const docs = [[2, 3, 4, 5], [2, 3, 4, 5], [2, 3, 4, 5], [2, 3, 6, 5], [3, 4, 6]];
  const model = estimateNgram(docs, 7, { order: 4 });
  const row = (r: number) => Array.from(model.dense.subarray(r * 7, (r + 1) * 7));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it('every dense row is a distribution with no zero', () => {
    for (let r = 0; r < model.denseRows; r++) {
      expect(sum(row(r))).toBeCloseTo(1, 6);
      expect(Math.min(...row(r))).toBeGreaterThan(0);
    }
  });

  it('a kept 3-word context: gamma · P_3 + a is a distribution that favours the memorised word', () => {
    const key = (2 * 7 + 3) * 7 + 4; // "2 3 4", seen three times, always before 5
    const context = model.sparse[0].find((c) => c.key === key)!;
    expect(context.next).toEqual([{ word: 5, a: (3 - 0.75) / 3 }]);
    const lower = row(model.contextRow[3 * 7 + 4]);
    const p = lower.map((q) => context.gamma * q);
    for (const x of context.next) p[x.word] += x.a;
    expect(sum(p)).toBeCloseTo(1, 6);
    expect(p[5]).toBeGreaterThan(0.75);
  });

  it('cuckoo: every key sits in one of its two slots', () => {
    const keys = Array.from({ length: 500 }, (_, i) => i * 7919 + (i % 3));
    const table = buildCuckoo(keys);
    keys.forEach((k, i) => {
      expect([k % table.t1, table.t1 + (k % table.t2)]).toContain(table.slots[i]);
      expect(table.keys[table.slots[i]]).toBe(k);
    });
    expect(table.keys[table.empty]).toBe(-1);
  });
});
