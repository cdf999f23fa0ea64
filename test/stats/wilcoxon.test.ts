import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/stats/normal.js';
import { wilcoxonSignedRank, type Alternative } from '../../src/stats/wilcoxon.js';
import { python, sourceNote } from './python.js';

const CASES: Record<string, [number[], number[]]> = {
  'ties-and-zeros': [
    [0.1, 0.2, 0.3, 0.05, 0.5, 0.0, 0.9, 0.25, 0.4, 0.3],
    [0.2, 0.2, 0.1, 0.15, 0.3, 0.1, 0.5, 0.05, 0.6, 0.1],
  ],
  shifted: [Array.from({ length: 20 }, (_, i) => 0.01 * i), Array.from({ length: 20 }, (_, i) => 0.01 * i + 0.03 * ((i * 7) % 5))],
};
const ALTERNATIVES: Alternative[] = ['two-sided', 'less', 'greater'];
// scipy 1.17.1: wilcoxon(x, y, zero_method='wilcox', correction=False, method='asymptotic', alternative=alt).pvalue
const COMMITTED: Record<string, number> = {
  'ties-and-zeros/two-sided': 0.13760087215669337,
  'ties-and-zeros/less': 0.9311995639216533,
  'ties-and-zeros/greater': 0.06880043607834668,
  'shifted/two-sided': 0.00042246757669391977,
  'shifted/less': 0.00021123378834695988,
  'shifted/greater': 0.999788766211653,
};
const SCIPY = `
import json, sys
from scipy.stats import wilcoxon
cases = json.load(sys.stdin)
print(json.dumps({f"{k}/{a}": float(wilcoxon(x, y, zero_method='wilcox', correction=False, method='asymptotic', alternative=a).pvalue)
                  for k, (x, y) in cases.items() for a in ['two-sided', 'less', 'greater']}))`;

describe('wilcoxonSignedRank', () => {
  const live = python<Record<string, number>>(SCIPY, CASES);
  it(`matches scipy's normal approximation${sourceNote(live)}`, () => {
    const expected = live ?? COMMITTED;
    for (const [name, [x, y]] of Object.entries(CASES)) {
      for (const alt of ALTERNATIVES) {
        // errorFunction is accurate to about 1e-7 absolute
        expect(Math.abs(wilcoxonSignedRank(x, y, alt).pValue - expected[`${name}/${alt}`])).toBeLessThan(2e-7);
      }
    }
  });
  it('returns the whole object for a hand-computed case', () => {
    // d = [1, -2, 0, 2, 3]: zero dropped; |d| ranks 1, 2.5, 2.5, 4; W+ = 1 + 2.5 + 4 = 7.5, mean 5,
    // var = 4·5·9/24 - (2^3 - 2)/48 = 7.5 - 0.125 = 7.375
    const z = 2.5 / Math.sqrt(7.375);
    expect(wilcoxonSignedRank([1, 0, 5, 4, 3], [0, 2, 5, 2, 0], 'greater')).toEqual({
      statistic: 7.5,
      n: 4,
      zeros: 1,
      z,
      pValue: 1 - normalCdf(z),
      alternative: 'greater',
    });
  });
  it('skips NaN pairs and reports no evidence when nothing differs', () => {
    expect(wilcoxonSignedRank([1, NaN], [1, 2])).toEqual({ statistic: 0, n: 0, zeros: 1, z: NaN, pValue: 1, alternative: 'two-sided' });
  });
  it('uses errorFunction for the normal CDF, not the saturating table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7); // errorFunction(0) is 3e-8, not 0
    expect(1 - normalCdf(4)).toBeCloseTo(3.167e-5, 7);
  });
});
