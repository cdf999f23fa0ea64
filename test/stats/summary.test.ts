import { describe, expect, it } from 'vitest';
import { FatalError } from '../../src/errors.js';
import { binomialTailP } from '../../src/stats/binomial.js';
import { summariseBenchmark } from '../../src/stats/summary.js';
import { DEFAULT_THRESHOLDS, SOLAR_CARD_THRESHOLD, verdictFor } from '../../src/stats/verdict.js';
import { wilcoxonSignedRank } from '../../src/stats/wilcoxon.js';
import { wilson } from '../../src/stats/wilson.js';

describe('verdictFor', () => {
  it('needs the share strictly above a threshold, as upstream README says "greater than 0.85"', () => {
    expect([0.1, 0.5, 0.51, 0.85, 0.86, NaN].map((v) => verdictFor(v))).toEqual(['clean', 'clean', 'suspicious', 'suspicious', 'contaminated', 'unknown']);
    expect(DEFAULT_THRESHOLDS).toEqual({ suspicious: 0.5, contaminated: 0.85 });
    expect(SOLAR_CARD_THRESHOLD).toBe(0.9);
    expect(verdictFor(0.88, { suspicious: 0.5, contaminated: SOLAR_CARD_THRESHOLD })).toBe('suspicious');
  });
  it('rejects inconsistent thresholds', () => {
    expect(() => verdictFor(0.5, { suspicious: 0.9, contaminated: 0.8 })).toThrow(
      new FatalError('verdict thresholds suspicious=0.9, contaminated=0.8 are invalid; both must be in [0, 1] with suspicious <= contaminated'),
    );
  });
});

describe('summariseBenchmark', () => {
  it('returns the whole summary for ranks, flags and errors', () => {
    // target: 4 flagged of 5 scored (one NaN rank, one null); control: nothing flagged.
    const target = [0, 0.05, true, 0.09, 0.5, NaN, null];
    const control = [0.3, 0.2, false, 0.5, 0.6, 0.4, 0.7];
    const nullRate = 10 / 101;
    const w = wilson(4, 5);
    const c = wilson(0, 7);
    expect(summariseBenchmark({ target, control, neighbours: 100 })).toEqual({
      samples: 7,
      scored: 5,
      errors: 2,
      flagged: 4,
      contamination: 0.8,
      wilson: { low: w.low, high: w.high },
      pValue: binomialTailP(4, 5, nullRate),
      nullRate,
      control: { scored: 7, errors: 0, flagged: 0, contamination: 0, wilson: { low: 0, high: c.high }, pValue: 1 },
      // pairs valid on both sides: 5; flags T T T T F vs all F -> 0.8
      difference: expect.objectContaining({ value: 0.8, pairs: 5 }),
      wilcoxon: null, // a bare flag leaves no exact rank for the signed-rank test
      verdict: 'suspicious',
      thresholds: DEFAULT_THRESHOLDS,
      cut: 0.1,
      neighbours: 100,
    });
  });
  it('adds the signed-rank test when both sides have exact ranks, and gives the exact CI when pairs agree', () => {
    const target = [0, 0.01, 0.02];
    const control = [0.5, 0.6, 0.7];
    const summary = summariseBenchmark({ target, control, neighbours: 100 });
    expect(summary.wilcoxon).toEqual(wilcoxonSignedRank(target, control, 'less'));
    expect(summary.difference).toEqual({ value: 1, low: 1, high: 1, pairs: 3 });
    expect(summary.verdict).toBe('contaminated');
  });
  it('handles a benchmark with no control and no scored sample', () => {
    const summary = summariseBenchmark({ target: [null, NaN], neighbours: 100 });
    expect(summary).toEqual({
      samples: 2,
      scored: 0,
      errors: 2,
      flagged: 0,
      contamination: NaN,
      wilson: { low: 0, high: 1 },
      pValue: NaN,
      nullRate: 10 / 101,
      control: null,
      difference: null,
      wilcoxon: null,
      verdict: 'unknown',
      thresholds: DEFAULT_THRESHOLDS,
      cut: 0.1,
      neighbours: 100,
    });
  });
  it('rejects a cut outside (0, 1]', () => {
    expect(() => summariseBenchmark({ target: [], neighbours: 100, cut: 0 })).toThrow('rank cut 0 is out of range; it must be in (0, 1], e.g. 0.1');
  });
});
