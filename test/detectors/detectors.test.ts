import { describe, expect, it } from 'vitest';
import { loss, ppl } from '../../src/detectors/loss.js';
import { lowercase } from '../../src/detectors/lowercase.js';
import { minK } from '../../src/detectors/min-k.js';
import { minKPlusPlus, SIGMA_EPSILON } from '../../src/detectors/min-k-plus-plus.js';
import { reference } from '../../src/detectors/reference.js';
import { zlib } from '../../src/detectors/zlib.js';
import { scores } from './token-scores.js';

// lp = [-1, -2, -3, -4, -0.5]: sum of -lp = 10.5, NLL = 10.5 / 5 = 2.1.
const text = scores([-1, -2, -3, -4, -0.5]);
const ctx = { text: 'hello hello hello' };
const empty = scores([]);
const one = scores([-0.7]);

describe('loss', () => {
  it('is the negated mean NLL, with ppl = exp(NLL)', () => {
    expect(loss().score(text, ctx)).toBe(-2.1);
    expect(ppl(text)).toBe(Math.exp(2.1));
    expect(loss().score(one, ctx)).toBe(-0.7);
  });
  it('returns NaN when no token is predicted', () => {
    expect(loss().score(empty, ctx)).toBeNaN();
    expect(loss().score({ ids: [], logprob: new Float64Array(0), mean: new Float64Array(0), std: new Float64Array(0) }, ctx)).toBeNaN();
  });
  it('describes itself', () => {
    const { score: _score, ...rest } = loss();
    expect(rest).toEqual({ id: 'loss', version: 1, params: {}, needs: {} });
  });
});

describe('zlib', () => {
  it('divides NLL by the compressed byte length, negated', () => {
    // python3: len(zlib.compress(b"hello hello hello")) == 16, and -(2.1 / 16) == -0.13125
    expect(zlib().score(text, ctx)).toBe(-0.13125);
  });
  it('takes an injected compressed length (e.g. a stock-zlib port)', () => {
    expect(zlib({ compressedLength: () => 21 }).score(text, ctx)).toBe(-0.1);
  });
});

describe('lowercase', () => {
  it('is NLL(lower) / NLL, higher for members', () => {
    // lowercase pass NLL = 15 / 5 = 3; 3 / 2.1 in float64 (python3: 1.4285714285714286)
    const lower = scores([-2, -3, -4, -5, -1]);
    expect(lowercase().score(text, { ...ctx, lowercase: lower })).toBe(1.4285714285714286);
    expect(lowercase().needs).toEqual({ lowercase: true });
  });
  it('throws when the engine forgot the lowercase pass', () => {
    expect(() => lowercase().score(text, ctx)).toThrow('detector lowercase needs the lowercase pass, but the engine supplied none');
  });
});

describe('reference', () => {
  it('is NLL_R - NLL_T', () => {
    // reference NLL = 12.5 / 5 = 2.5; python3: -(2.1 - 2.5) == 0.3999999999999999
    const ref = scores([-2, -2, -3, -5, -0.5]);
    expect(reference().score(text, { ...ctx, reference: ref })).toBe(0.3999999999999999);
    expect(reference().needs).toEqual({ reference: true });
  });
});

describe('min-k', () => {
  it('averages the lowest floor(k·n) log-probs', () => {
    expect(minK().score(text, ctx)).toBe(-4); // floor(0.2·5) = 1: {-4}
    expect(minK({ k: 0.5 }).score(text, ctx)).toBe(-3.5); // floor(2.5) = 2: {-4, -3}
    expect(minK({ k: 1 }).score(text, ctx)).toBe(-2.1); // all five
  });
  it('takes at least one token when k·n rounds down to zero', () => {
    expect(minK({ k: 0.1 }).score(text, ctx)).toBe(-4); // floor(0.5) = 0 -> 1
    expect(minK().score(one, ctx)).toBe(-0.7); // n = 1
  });
  it('handles ties', () => {
    expect(minK({ k: 0.5 }).score(scores([-2, -1, -2, -2]), ctx)).toBe(-2);
    expect(minK({ k: 0.75 }).score(scores([-1, -3, -1, -1]), ctx)).toBe(-5 / 3);
  });
  it('returns NaN for no predicted token or a NaN token score', () => {
    expect(minK().score(empty, ctx)).toBeNaN();
    expect(minK().score(scores([-1, NaN, -2]), ctx)).toBeNaN();
  });
  it('records k in params', () => {
    expect(minK({ k: 0.3 }).params).toEqual({ k: 0.3 });
  });
});

describe('min-k-plus-plus', () => {
  const lp = [-1, -2, -3, -0.5];
  const mu = [-1.5, -1, -2, -1];
  it('averages the lowest standardised log-probs', () => {
    // z = [(-1+1.5)/0.5, (-2+1)/2, (-3+2)/1, (-0.5+1)/0.25] = [1, -0.5, -1, 2]
    const s = scores(lp, mu, [0.5, 2, 1, 0.25]);
    expect(minKPlusPlus().score(s, ctx)).toBe(-1); // floor(0.8) = 0 -> 1: {-1}
    expect(minKPlusPlus({ k: 0.5 }).score(s, ctx)).toBe(-0.75); // {-1, -0.5}
    expect(minKPlusPlus({ k: 1 }).score(s, ctx)).toBe(0.375); // (1 - 0.5 - 1 + 2) / 4
  });
  it('floors a near-zero sigma at 1e-6', () => {
    expect(SIGMA_EPSILON).toBe(1e-6);
    // third sigma 1e-9 and then exactly 0 -> 1e-6: z3 = -1 / 1e-6 = -1000000 (python3: -1000000.0)
    expect(minKPlusPlus({ k: 0.5 }).score(scores(lp, mu, [0.5, 2, 1e-9, 0.25]), ctx)).toBe(-500000.25);
    expect(minKPlusPlus({ k: 0.5 }).score(scores(lp, mu, [0.5, 2, 0, 0.25]), ctx)).toBe(-500000.25);
  });
  it('handles n = 1, ties and empty input', () => {
    expect(minKPlusPlus().score(scores([-2], [-1], [2]), ctx)).toBe(-0.5);
    expect(minKPlusPlus({ k: 0.5 }).score(scores([-2, -2, -1], [-1, -1, -1], [1, 1, 1]), ctx)).toBe(-1);
    expect(minKPlusPlus().score(empty, ctx)).toBeNaN();
    expect(minKPlusPlus().score(scores([-1, -2], [0, 0], [1, NaN]), ctx)).toBeNaN();
  });
});
