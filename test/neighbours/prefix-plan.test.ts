import { describe, expect, it } from 'vitest';
import { exactPrefix, FALLBACK_PREFIX, neighbourPrefix } from '../../src/neighbours/prefix.js';
import { neighbourPlan, prefixFor } from '../../src/neighbours/plan.js';
import { deriveSeed } from '../../src/util/random.js';

// GSM8K-style text (question + " " + rationale): 23 words over three lines; ceil(23 · 0.4) = ceil(9.2) = 10.
const GSM8K = 'Janet has 3 apples.\nShe buys 2 more at the shop.\nHow many apples does she have now? 3 + 2 = 5';

describe('neighbourPrefix (compat, detection-methods.md §1.3)', () => {
  it('takes ceil(0.4 · 10) = 4 words of a 10-word text, leaving a budget of 6', () => {
    expect(neighbourPrefix('one two three four five six seven eight nine ten', 0.4)).toEqual({
      prefix: 'one two three four',
      prefixWords: 4,
      remainingWords: 6,
      totalWords: 10,
      usedFallback: false,
    });
  });
  it('re-joins words with single spaces, so newlines are lost', () => {
    expect(neighbourPrefix(GSM8K, 0.4)).toEqual({
      prefix: 'Janet has 3 apples. She buys 2 more at the',
      prefixWords: 10,
      remainingWords: 13,
      totalWords: 23,
      usedFallback: false,
    });
    expect(neighbourPrefix('  a\t\tb \n\n c d e  ', 0.4).prefix).toBe('a b'); // ceil(2.0) = 2
  });
  it("rounds up like Python's math.ceil: 11 words · 0.4 = 4.4 -> 5", () => {
    expect(neighbourPrefix('w '.repeat(11), 0.4)).toMatchObject({ prefixWords: 5, remainingWords: 6 });
  });
  it("splits on Python's str.isspace set, not JavaScript's \\s", () => {
    // python3: "a\x1cb\x85c\ufeffd".split() == ['a', 'b', 'c\ufeffd']
    expect(neighbourPrefix('a\u001cb\u0085c\ufeffd', 1)).toMatchObject({ prefix: 'a b c\ufeffd', totalWords: 3 });
  });
  it("uses '<|startoftext|> ' only when no word is taken", () => {
    expect(neighbourPrefix('', 0.4)).toEqual({ prefix: FALLBACK_PREFIX, prefixWords: 0, remainingWords: 0, totalWords: 0, usedFallback: true });
    expect(neighbourPrefix('a b c', 0)).toEqual({ prefix: '<|startoftext|> ', prefixWords: 0, remainingWords: 3, totalWords: 3, usedFallback: true });
    expect(neighbourPrefix('a', 0.4)).toMatchObject({ prefix: 'a', prefixWords: 1, remainingWords: 0 });
  });
});

describe('exactPrefix (fixed)', () => {
  it("keeps the original's own characters up to the last prefix word", () => {
    expect(exactPrefix(GSM8K, 0.4)).toEqual({
      prefix: 'Janet has 3 apples.\nShe buys 2 more at the',
      prefixWords: 10,
      remainingWords: 13,
      totalWords: 23,
      usedFallback: false,
    });
    expect(exactPrefix('  a\tb c', 0.4).prefix).toBe('  a\tb');
    expect(exactPrefix('a b', 0).prefix).toBe('');
  });
});

describe('neighbourPlan', () => {
  it('compat: word-count budget, HF default sampler, neighbours truncated to 150 tokens', () => {
    expect(neighbourPlan({ text: GSM8K, mode: 'compat', sampleId: 'gsm8k/test/0', seed: 0 })).toEqual({
      mode: 'compat',
      prefix: neighbourPrefix(GSM8K, 0.4),
      sampling: { n: 100, maxNewTokens: 13, minNewTokens: 1, temperature: 1, topK: 50, topP: 1, seed: 931375648 },
      truncation: { original: null, neighbours: 150 },
    });
  });
  it('compat: a prefix that takes every word still asks for one token', () => {
    expect(neighbourPlan({ text: 'a', mode: 'compat', sampleId: 'x', seed: 0 }).sampling.maxNewTokens).toBe(1);
  });
  it("fixed: budget = the original continuation's token count, no truncation on either side", () => {
    const plan = neighbourPlan({ text: GSM8K, mode: 'fixed', sampleId: 'gsm8k/test/0', seed: 5, neighbours: 20, tokens: { original: 31, prefix: 12 } });
    expect(plan).toEqual({
      mode: 'fixed',
      prefix: prefixFor('fixed', GSM8K),
      sampling: { n: 20, maxNewTokens: 19, minNewTokens: 1, temperature: 1, topK: 50, topP: 1, seed: 4264362369 },
      truncation: { original: null, neighbours: null },
    });
    expect(() => neighbourPlan({ text: GSM8K, mode: 'fixed', sampleId: 'x', seed: 0 })).toThrow('fixed mode needs the token counts');
  });
});

describe('deriveSeed (per-sample neighbour seeds)', () => {
  it('is a deterministic uint32 of (seed, sample id)', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `arc/test/${i}`);
    const seeds = ids.map((id) => deriveSeed(0, id));
    expect(ids.map((id) => deriveSeed(0, id))).toEqual(seeds);
    expect(new Set(seeds).size).toBe(1000);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
    expect(deriveSeed(1, 'arc/test/0')).not.toBe(seeds[0]);
  });
});
