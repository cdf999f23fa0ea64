import { describe, expect, it } from 'vitest';
import { sampleWithReplacement } from 'simple-statistics';
import { percentileInterval } from '../../src/stats/bootstrap.js';
import { auroc, aurocInterval, fprAtTpr, rocCurve, rocSummary, tprAtFpr } from '../../src/stats/roc.js';
import { seededRandom } from '../../src/util/random.js';

function bruteForceAuroc(members: number[], nonMembers: number[]): number {
  let wins = 0;
  for (const m of members) for (const u of nonMembers) wins += m > u ? 1 : m === u ? 0.5 : 0;
  return wins / (members.length * nonMembers.length);
}

describe('auroc', () => {
  it('equals brute-force pair counting with ties as 0.5 on seeded random data', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      // one decimal place on a small range forces many ties, within and across classes
      const draw = (n: number, shift: number) => Array.from({ length: n }, () => Math.round((random() * 2 + shift) * 10) / 10);
      const members = draw(1 + Math.floor(random() * 40), 0.3);
      const nonMembers = draw(1 + Math.floor(random() * 40), 0);
      expect(auroc(members, nonMembers)).toBeCloseTo(bruteForceAuroc(members, nonMembers), 12);
    }
  });
  it('handles hand-built cases', () => {
    expect(auroc([3, 4], [1, 2])).toBe(1);
    expect(auroc([1, 2], [3, 4])).toBe(0);
    expect(auroc([1, 1], [1, 1])).toBe(0.5);
    expect(auroc([2, NaN], [1])).toBe(1); // NaN dropped
    expect(auroc([], [1])).toBeNaN();
  });
});

describe('ROC reads', () => {
  // members 0.9 0.8 0.6 0.6 | non-members 0.7 0.6 0.2 0.1 0.05
  const members = [0.9, 0.8, 0.6, 0.6];
  const nonMembers = [0.7, 0.6, 0.2, 0.1, 0.05];
  const curve = rocCurve(members, nonMembers);
  it('has one point per distinct score, ties as one diagonal step', () => {
    expect(curve).toEqual([
      { threshold: Infinity, fpr: 0, tpr: 0 },
      { threshold: 0.9, fpr: 0, tpr: 0.25 },
      { threshold: 0.8, fpr: 0, tpr: 0.5 },
      { threshold: 0.7, fpr: 0.2, tpr: 0.5 },
      { threshold: 0.6, fpr: 0.4, tpr: 1 },
      { threshold: 0.2, fpr: 0.6, tpr: 1 },
      { threshold: 0.1, fpr: 0.8, tpr: 1 },
      { threshold: 0.05, fpr: 1, tpr: 1 },
    ]);
  });
  it('reads TPR at the last point with FPR <= bound and FPR at the first point with TPR >= 0.95', () => {
    expect(tprAtFpr(curve, 0.001)).toBe(0.5);
    expect(tprAtFpr(curve, 0.2)).toBe(0.5); // the bound itself counts (<=)
    expect(tprAtFpr(curve, 0.39)).toBe(0.5);
    expect(fprAtTpr(curve, 0.95)).toBe(0.4);
  });
  it('summarises with a seeded, repeatable bootstrap interval', () => {
    const summary = rocSummary(members, nonMembers, { seed: 3 });
    expect(summary).toEqual({
      auroc: 0.85, // 17 winning pairs of 20 (each 0.6 member: 3 wins + a tie)
      interval: aurocInterval(members, nonMembers, { seed: 3 }),
      tprAtFpr: [
        { fpr: 0.001, tpr: 0.5 },
        { fpr: 0.01, tpr: 0.5 },
        { fpr: 0.05, tpr: 0.5 },
      ],
      fprAt95Tpr: 0.4,
      members: 4,
      nonMembers: 5,
    });
    expect(summary.interval.low).toBeLessThan(0.85);
    expect(summary.interval.high).toBe(1);
    expect(aurocInterval(members, nonMembers, { seed: 4 })).not.toEqual(summary.interval);
  });
});

describe('aurocInterval', () => {
  // The definition: resample each class's scores and take the rank-sum AUROC of every replicate.
  function resampledScores(members: number[], nonMembers: number[], seed: number, resamples: number) {
    const random = seededRandom(seed);
    const draw = (xs: number[]) => sampleWithReplacement(xs, xs.length, random);
    const replicates: number[] = [];
    for (let b = 0; b < resamples; b++) replicates.push(auroc(draw(members), draw(nonMembers)));
    return percentileInterval(replicates);
  }

  it('gives exactly the interval of resampling the scores themselves, ties and -0 included', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 30; trial++) {
      const draw = (n: number, shift: number) => Array.from({ length: n }, () => Math.round((random() * 2 + shift) * 10) / 10 - 1);
      const members = [...draw(1 + Math.floor(random() * 60), 0.3), -0];
      const nonMembers = [...draw(1 + Math.floor(random() * 60), 0), 0];
      expect(aurocInterval(members, nonMembers, { seed: trial, resamples: 200 })).toEqual(resampledScores(members, nonMembers, trial, 200));
    }
  });

  it('still takes infinite scores (the slow path)', () => {
    const members = [Infinity, 2, 3];
    const nonMembers = [-Infinity, 1, 2];
    expect(aurocInterval(members, nonMembers, { seed: 2, resamples: 100 })).toEqual(resampledScores(members, nonMembers, 2, 100));
  });
});
