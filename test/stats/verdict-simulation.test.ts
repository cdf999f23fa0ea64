import { describe, expect, it } from 'vitest';
import { loadCalibrationRates, sensitivityFor } from '../../src/stats/sensitivity.js';
import { DEFAULT_MARGINS, DEFAULT_THRESHOLDS } from '../../src/stats/verdict.js';
import { minimumDetectableShare, simulateVerdicts } from '../../src/stats/verdict-simulation.js';

const options = { reps: 400, seed: 3, margins: DEFAULT_MARGINS, thresholds: DEFAULT_THRESHOLDS };
const clean = { n: 100, neighbours: 100, cut: 0.1, memorised: 0, flagRate: 0 };

describe('the verdict rule on simulated benchmarks', () => {
  it('cries wolf at most alpha of the time when target and control flag alike, whatever the null drifts to', () => {
    // A simulated rate carries Monte Carlo error: allow two standard errors of a true rate of exactly
    // alpha (0.05 + 0.0097 at 2000 reps). The worst case, p 0.1 without agreement, is about 0.032.
    const reps = 2000;
    const bound = 0.05 + 2 * Math.sqrt((0.05 * 0.95) / reps);
    for (const p of [0.02, 0.1, 0.3, 0.9]) {
      for (const agreement of [0, 0.8]) {
        const counts = simulateVerdicts({ ...clean, controlRate: p, targetRate: p, agreement }, { ...options, reps, interval: 'newcombe' });
        expect((counts.suspicious + counts.contaminated) / reps).toBeLessThanOrEqual(bound);
        expect(counts.contaminated).toBe(0);
      }
    }
  });

  it('finds a quarter of items memorised verbatim at n = 100, and needs more items when fewer are flagged', () => {
    const found = simulateVerdicts({ ...clean, controlRate: 0.02, targetRate: 0.02, agreement: 0.8, memorised: 0.25, flagRate: 1 }, { ...options, interval: 'bootstrap', bootstrapResamples: 300, reps: 100 });
    expect(found.contaminated).toBeGreaterThanOrEqual(90);
    const base = { n: 100, neighbours: 100, cut: 0.1, controlRate: 0.02, targetRate: 0.02, agreement: 0.8 };
    const strong = minimumDetectableShare({ ...base, flagRate: 1 }, options);
    const weak = minimumDetectableShare({ ...base, flagRate: 0.2 }, options);
    expect(strong).toBeGreaterThan(0);
    expect(strong).toBeLessThan(0.15);
    expect(weak).toBeGreaterThan(strong);
    expect(minimumDetectableShare({ ...base, flagRate: 0.01 }, options)).toBeNaN();
  });

  it("states in one sentence what the primary detector can see, from the committed calibration rates", () => {
    const rates = loadCalibrationRates();
    expect(rates).toBeDefined();
    const s = sensitivityFor({ detector: 'loss', n: 40, neighbours: 100, cut: 0.1, controlShare: 0, margins: DEFAULT_MARGINS, thresholds: DEFAULT_THRESHOLDS }, rates)!;
    expect(s.strongFlagRate).toBeGreaterThan(0.9);
    expect(s.sentence).toMatch(/^loss flags 1\.00 of verbatim-memorised and 0\.\d\d of lightly memorised items \(loss AUROC 0\.\d\d\) in contam's calibration models; at n = 40 with control 0\.00, the verdict tells a benchmark from clean \(80% power\) once \d+% of its items are memorised verbatim, /);
    expect(sensitivityFor({ detector: 'lowercase', n: 40, neighbours: 100, cut: 0.1, controlShare: 0, margins: DEFAULT_MARGINS, thresholds: DEFAULT_THRESHOLDS }, rates)).toBeUndefined();
    expect(loadCalibrationRates('/nonexistent/rates.json')).toBeUndefined();
  });
});
