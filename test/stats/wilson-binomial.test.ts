import { describe, expect, it } from 'vitest';
import { binomialTailP, exchangeableNullRate } from '../../src/stats/binomial.js';
import { wilson } from '../../src/stats/wilson.js';
import { python, sourceNote } from './python.js';

const WILSON_CASES: [number, number][] = [[0, 100], [6, 100], [15, 100], [28, 100], [70, 100], [100, 100], [1, 1], [3, 7]];
// python3 standard library: the Wilson formula with statistics.NormalDist().inv_cdf(0.975)
const WILSON_COMMITTED: [number, number][] = [
  [0, 0.03699349820698566],
  [0.027786123963188192, 0.12476815445895917],
  [0.09305985283656631, 0.2328355959083236],
  [0.20139685211186215, 0.37488028709921156],
  [0.6041514536665333, 0.7810511470506722],
  [0.9630065017930143, 1],
  [0.20654931437723745, 1],
  [0.1582198552514697, 0.7495416354723428],
];
const WILSON_PY = `
import json, math, sys
from statistics import NormalDist
z = NormalDist().inv_cdf(0.975)
def w(k, n):
    p = k / n; z2 = z * z; d = 1 + z2 / n; c = (p + z2 / (2 * n)) / d
    h = z / d * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return [max(0.0, c - h), min(1.0, c + h)]
print(json.dumps([w(k, n) for k, n in json.load(sys.stdin)]))`;

const BINOMIAL_CASES: [number, number][] = [[0, 100], [10, 100], [15, 100], [28, 100], [70, 100], [100, 100], [1, 1], [50, 1000], [150, 1000]];
// python3 standard library, exact: sum(math.comb(n, k) p^k (1-p)^(n-k)) with p = Fraction(10, 101)
const BINOMIAL_COMMITTED = [
  1.0, 0.5355911943247297, 0.06782813402074454, 2.840563256436764e-7, 6.724246242246359e-47, 3.697112123291193e-101,
  0.09900990099009901, 0.999999995086605, 2.5259795109882244e-7,
];
const BINOMIAL_PY = `
import json, math, sys
from fractions import Fraction
p = Fraction(10, 101)
print(json.dumps([float(sum(math.comb(n, k) * p**k * (1 - p)**(n - k) for k in range(x, n + 1))) for x, n in json.load(sys.stdin)]))`;

const relClose = (actual: number, expected: number, tol: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.max(Math.abs(expected), Number.MIN_VALUE));

describe('wilson', () => {
  const live = python<[number, number][]>(WILSON_PY, WILSON_CASES);
  it(`matches python3's 95% Wilson interval${sourceNote(live)}`, () => {
    const expected = live ?? WILSON_COMMITTED;
    if (live) live.forEach((pair, i) => pair.forEach((v, j) => relClose(v, WILSON_COMMITTED[i][j], 1e-15)));
    WILSON_CASES.forEach(([k, n], i) => {
      const { low, high, estimate } = wilson(k, n);
      expect(estimate).toBe(k / n);
      relClose(low, expected[i][0], 1e-12);
      relClose(high, expected[i][1], 1e-12);
    });
  });
  it('gives the whole unit interval with no trials', () => {
    expect(wilson(0, 0)).toEqual({ estimate: NaN, low: 0, high: 1 });
  });
});

describe('exchangeable null', () => {
  it('is 10/101 for M = 100 and cut 0.1', () => {
    expect(exchangeableNullRate(100, 0.1)).toBe(10 / 101);
    expect(exchangeableNullRate(10, 0.1)).toBe(1 / 11); // only r = 0 is below 0.1
    expect(exchangeableNullRate(50, 0.1)).toBe(5 / 51);
    expect(exchangeableNullRate(100, 1)).toBe(100 / 101);
    expect(exchangeableNullRate(0, 0.1)).toBeNaN();
  });
});

describe('binomial test P(X >= x)', () => {
  const live = python<number[]>(BINOMIAL_PY, BINOMIAL_CASES);
  it(`matches exact rational summation in python3${sourceNote(live)}`, () => {
    const expected = live ?? BINOMIAL_COMMITTED;
    if (live) expect(live).toEqual(BINOMIAL_COMMITTED);
    BINOMIAL_CASES.forEach(([x, n], i) => relClose(binomialTailP(x, n, 10 / 101), expected[i], 1e-10));
  });
  it('handles the edges exactly', () => {
    expect([binomialTailP(0, 5, 0.3), binomialTailP(6, 5, 0.3), binomialTailP(1, 5, 0), binomialTailP(5, 5, 1)]).toEqual([1, 0, 0, 1]);
  });
});
