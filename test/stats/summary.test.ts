import { describe, expect, it } from 'vitest';
import { FatalError } from '../../src/errors.js';
import { binomialTailP } from '../../src/stats/binomial.js';
import { pairedBootstrapDifference } from '../../src/stats/bootstrap.js';
import { newcombePaired } from '../../src/stats/paired.js';
import { summariseBenchmark } from '../../src/stats/summary.js';
import {
  absoluteVerdict,
  decideVerdict,
  DEFAULT_MARGINS,
  DEFAULT_THRESHOLDS,
  mcnemarExactP,
  SOLAR_CARD_LINE,
  type VerdictEvidence,
  type VerdictPolicy,
} from '../../src/stats/verdict.js';
import { wilson } from '../../src/stats/wilson.js';

const FIXED: VerdictPolicy = { mode: 'fixed', thresholds: DEFAULT_THRESHOLDS, margins: DEFAULT_MARGINS };

describe('absoluteVerdict (the upstream reading)', () => {
  it('needs the share strictly above a threshold, as upstream README says "greater than 0.85"', () => {
    expect([0.1, 0.5, 0.51, 0.85, 0.86, NaN].map((v) => absoluteVerdict(v))).toEqual(['clean', 'clean', 'suspicious', 'suspicious', 'contaminated', 'unknown']);
    expect(DEFAULT_THRESHOLDS).toEqual({ suspicious: 0.5, contaminated: 0.85 });
    expect(SOLAR_CARD_LINE).toBe(0.9);
    expect(absoluteVerdict(0.88, { suspicious: 0.5, contaminated: SOLAR_CARD_LINE })).toBe('suspicious');
  });
  it('rejects inconsistent thresholds', () => {
    expect(() => absoluteVerdict(0.5, { suspicious: 0.9, contaminated: 0.8 })).toThrow(
      new FatalError('verdict thresholds suspicious=0.9, contaminated=0.8 are invalid; both must be in [0, 1] with suspicious <= contaminated'),
    );
  });
});

describe('mcnemarExactP', () => {
  it('is the one-sided sign test on the discordant items', () => {
    expect(mcnemarExactP({ targetOnly: 5, controlOnly: 0, pairs: 40 })).toBeCloseTo(1 / 32, 12);
    expect(mcnemarExactP({ targetOnly: 4, controlOnly: 0, pairs: 40 })).toBeCloseTo(1 / 16, 12);
    // P(X >= 7 | Bin(10, 1/2)) = (120 + 45 + 10 + 1) / 1024
    expect(mcnemarExactP({ targetOnly: 7, controlOnly: 3, pairs: 40 })).toBeCloseTo(176 / 1024, 12);
    expect(mcnemarExactP({ targetOnly: 0, controlOnly: 0, pairs: 40 })).toBe(1);
  });
});

/** Evidence for n paired items: `both` flagged on both sides, then target-only and control-only counts. */
function evidence(n: number, both: number, targetOnly: number, controlOnly: number, nullRate = 10 / 101): VerdictEvidence {
  const t = Array.from({ length: n }, (_, i) => i < both + targetOnly);
  const c = Array.from({ length: n }, (_, i) => i < both || (i >= both + targetOnly && i < both + targetOnly + controlOnly));
  const flagged = both + targetOnly;
  return {
    contamination: flagged / n,
    nullPValue: binomialTailP(flagged, n, nullRate),
    control: {
      contamination: (both + controlOnly) / n,
      difference: pairedBootstrapDifference(t, c, { seed: 1 }),
      discordance: { targetOnly, controlOnly, pairs: n },
    },
  };
}

describe('decideVerdict', () => {
  it('calls 40% memorised against a clean control contaminated, where the upstream reading says clean', () => {
    const d = decideVerdict(evidence(40, 0, 16, 0), FIXED);
    expect(d).toMatchObject({ verdict: 'contaminated', basis: 'relative', absolute: 'clean' });
    expect(d.reason).toMatch(/^target − control \+0\.40 \[\+0\.2\d, \+0\.5\d\], McNemar p < 0\.0001; the interval clears the 0\.10 margin$/);
  });
  it('does not call a benchmark whose null drifts high contaminated when the control is as high', () => {
    // 89 of 100 flagged for the target, 88 for the control (a base Llama-2-70B on GSM8K upstream).
    const d = decideVerdict(evidence(100, 86, 3, 2), FIXED);
    expect(d).toMatchObject({ verdict: 'clean', absolute: 'contaminated' });
    expect(d.reason).toMatch(/^not distinguishable from the control/);
  });
  it('is suspicious when the difference is significant but its interval does not clear the contaminated margin', () => {
    // 100 items, 9 flagged for the target only, none for the control only, 10 for both: D = 0.09.
    const d = decideVerdict(evidence(100, 10, 9, 0), FIXED);
    expect(d.verdict).toBe('suspicious');
  });
  it('a small but significant excess is suspicious by default, clean below a raised suspicious margin', () => {
    // 1000 items: 40 target-only, 0 control-only, 100 both: D = 0.04, McNemar p = 2^-40.
    expect(decideVerdict(evidence(1000, 100, 40, 0), FIXED).verdict).toBe('suspicious');
    const tolerant = decideVerdict(evidence(1000, 100, 40, 0), { ...FIXED, margins: { suspicious: 0.05, contaminated: 0.1 } });
    expect(tolerant.verdict).toBe('clean');
    expect(tolerant.reason).toMatch(/significant but below the 0\.05 margin$/);
  });
  it('judges a share below the exchangeable null against the control too: 8 items only the target flags are significant', () => {
    // Human text and sampled neighbours are not exchangeable: a lightly memorised benchmark sits below 0.099.
    const d = decideVerdict(evidence(100, 0, 8, 0), FIXED);
    expect(d.verdict).toBe('suspicious');
    expect(decideVerdict(evidence(100, 0, 4, 0), FIXED).verdict).toBe('clean');
  });
  it('is not moved by discordance the other way: the control flagging more is clean', () => {
    expect(decideVerdict(evidence(100, 10, 0, 30), FIXED).verdict).toBe('clean');
  });
  it('reads the thresholds in compat mode, and without a control', () => {
    expect(decideVerdict(evidence(40, 0, 16, 0), { ...FIXED, mode: 'compat' })).toMatchObject({ verdict: 'clean', basis: 'absolute' });
    const noControl = decideVerdict({ contamination: 0.9, nullPValue: 0 }, FIXED);
    expect(noControl).toMatchObject({ verdict: 'contaminated', basis: 'absolute' });
    expect(noControl.reason).toMatch(/^no control for this detector/);
    expect(decideVerdict({ contamination: NaN, nullPValue: NaN }, FIXED).verdict).toBe('unknown');
  });
  it('rejects inconsistent margins', () => {
    expect(() => decideVerdict(evidence(10, 0, 1, 0), { ...FIXED, margins: { suspicious: 0.2, contaminated: 0.1 } })).toThrow(
      'verdict margins suspicious=0.2, contaminated=0.1 are invalid',
    );
  });
});

describe('newcombePaired', () => {
  it('is close to the paired bootstrap interval it stands in for while running', () => {
    const n = 200;
    const t = Array.from({ length: n }, (_, i) => i % 5 === 0 || i % 7 === 0);
    const c = Array.from({ length: n }, (_, i) => i % 5 === 0 || i % 11 === 0);
    const closed = newcombePaired(t, c);
    const boot = pairedBootstrapDifference(t, c, { seed: 3 });
    expect(closed.value).toBeCloseTo(boot.value, 12);
    expect(Math.abs(closed.low - boot.low)).toBeLessThan(0.02);
    expect(Math.abs(closed.high - boot.high)).toBeLessThan(0.02);
    expect(newcombePaired([], [])).toEqual({ value: NaN, low: NaN, high: NaN });
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
      discordance: { targetOnly: 4, controlOnly: 0, pairs: 5 },
      // McNemar 4 vs 0 gives p = 1/16: five items cannot show a difference at 0.05.
      decision: expect.objectContaining({ verdict: 'clean', absolute: 'suspicious', basis: 'relative', pValue: expect.closeTo(1 / 16, 12) }),
      cut: 0.1,
      neighbours: 100,
    });
  });
  it('gives the exact CI when pairs agree', () => {
    const target = Array.from({ length: 10 }, () => 0.01);
    const control = Array.from({ length: 10 }, () => 0.5);
    const summary = summariseBenchmark({ target, control, neighbours: 100 });
    expect(summary.difference).toEqual({ value: 1, low: 1, high: 1, pairs: 10 });
    expect(summary.decision.verdict).toBe('contaminated');
  });
  it('handles a benchmark with no control and no scored sample', () => {
    const summary = summariseBenchmark({ target: [null, NaN], neighbours: 100 });
    expect(summary).toMatchObject({ samples: 2, scored: 0, errors: 2, contamination: NaN, control: null, difference: null, discordance: null });
    expect(summary.decision.verdict).toBe('unknown');
  });
  it('rejects a cut outside (0, 1]', () => {
    expect(() => summariseBenchmark({ target: [], neighbours: 100, cut: 0 })).toThrow('rank cut 0 is out of range; it must be in (0, 1], e.g. 0.1');
  });
});
