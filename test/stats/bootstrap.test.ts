import { describe, expect, it } from 'vitest';
import { pairedBootstrapDifference, percentileInterval } from '../../src/stats/bootstrap.js';
import { seededRandom } from '../../src/util/random.js';

describe('percentileInterval', () => {
  it('takes numpy-style linear percentiles', () => {
    // 0..100 by linear interpolation; (1 - 0.95) / 2 is 0.025000000000000022 in float64, and
    // numpy's np.quantile(np.arange(101), (1 - 0.95) / 2) gives the same 2.500000000000002
    expect(percentileInterval(Array.from({ length: 101 }, (_, i) => 100 - i))).toEqual({ low: 2.500000000000002, high: 97.5 });
    expect(percentileInterval([])).toEqual({ low: NaN, high: NaN });
  });
});

describe('pairedBootstrapDifference', () => {
  it('is exact when every pair differs by the same amount', () => {
    expect(pairedBootstrapDifference([true, true, true], [false, false, false])).toEqual({ value: 1, low: 1, high: 1, pairs: 3 });
  });
  it('is repeatable for a seed and brackets the point estimate', () => {
    const random = seededRandom(1);
    const target = Array.from({ length: 100 }, () => random() < 0.3);
    const control = target.map((t) => (random() < 0.5 ? t : random() < 0.1));
    const a = pairedBootstrapDifference(target, control, { seed: 9, resamples: 1000 });
    expect(pairedBootstrapDifference(target, control, { seed: 9, resamples: 1000 })).toEqual(a);
    expect(a.low).toBeLessThanOrEqual(a.value);
    expect(a.high).toBeGreaterThanOrEqual(a.value);
    expect(a.pairs).toBe(100);
  });
  it('returns NaN for no pairs and refuses unequal lengths', () => {
    expect(pairedBootstrapDifference([], [])).toEqual({ value: NaN, low: NaN, high: NaN, pairs: 0 });
    expect(() => pairedBootstrapDifference([true], [])).toThrow('1 target flags but 0 control flags');
  });
});
