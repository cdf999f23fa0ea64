import { describe, expect, it } from 'vitest';
import { allDecided, EarlyStop } from '../../src/neighbours/early-stop.js';
import { isFlagged, rankOf } from '../../src/neighbours/rank.js';
import { seededRandom } from '../../src/util/random.js';

describe('rankOf', () => {
  it('is the fraction of neighbours strictly more member-like (ties do not count)', () => {
    // loss detector: score = -NLL. Original NLL 2.0; neighbours 1.5 (beats), 2.0 (tie), 3.0
    expect(rankOf(-2, [-1.5, -2, -3])).toBe(1 / 3);
    expect(rankOf(5, [1, 2, 3, 4])).toBe(0);
    expect(isFlagged(rankOf(5, [1, 2, 3, 4]))).toBe(true);
    expect(isFlagged(0.1)).toBe(false); // s < 0.1, strictly
  });
  it('drops NaN neighbours from M and gives NaN for a NaN original or no valid neighbour', () => {
    expect(rankOf(0, [1, NaN, -1, -1])).toBe(1 / 3);
    expect(rankOf(NaN, [1, 2])).toBeNaN();
    expect(rankOf(0, [NaN])).toBeNaN();
    expect(isFlagged(NaN)).toBe(false);
  });
});

describe('EarlyStop', () => {
  it('gives the same flag as the full computation on random rank sequences, scoring fewer neighbours', () => {
    const random = seededRandom(2024);
    let saved = 0;
    let total = 0;
    let flaggedCount = 0;
    for (let trial = 0; trial < 5000; trial++) {
      const m = 1 + Math.floor(random() * 120);
      const cut = [0.1, 0.05, 0.2, 0.5, 1, 0.37][trial % 6];
      // a per-trial "membership strength" spreads ranks from 0 to 1; rounded scores force ties; some NaN
      const strength = random() * 1.2;
      const original = random() < 0.01 ? NaN : Math.round(strength * 10) / 10;
      const neighbours = Array.from({ length: m }, () => (random() < 0.03 ? NaN : Math.round(random() * 12) / 10));
      const stop = new EarlyStop(m, original, cut);
      for (const s of neighbours) if (stop.add(s)) break;
      const result = stop.result();
      const expected = isFlagged(rankOf(original, neighbours), cut);
      expect(result.decided).toBe(true);
      expect(result.flagged).toBe(expected);
      expect(result.scored + result.saved).toBe(m);
      if (result.saved === 0) expect(result.rank).toEqual(rankOf(original, neighbours));
      saved += result.saved;
      total += m;
      if (expected) flaggedCount++;
    }
    expect(flaggedCount).toBeGreaterThan(500); // both outcomes well exercised
    expect(saved / total).toBeGreaterThan(0.3);
  });
  it('reports the whole result for a sample decided unflagged after ten beaters of 100', () => {
    const stop = new EarlyStop(100, 0);
    for (let j = 0; j < 9; j++) expect(stop.add(1)).toBe(false);
    expect(stop.add(-1)).toBe(false);
    expect(stop.add(1)).toBe(true); // 10/100 >= 0.1 whatever comes next
    expect(stop.result()).toEqual({ decided: true, flagged: false, scored: 11, saved: 89, beating: 10, invalid: 0, rank: null });
  });
  it('decides flagged only when even all remaining beating keeps s < cut', () => {
    const stop = new EarlyStop(100, 0);
    for (let j = 0; j < 90; j++) expect(stop.add(-1)).toBe(false); // 0 + 10 remaining = 10/100: not < 0.1
    expect(stop.add(-1)).toBe(true); // 0 + 9 remaining: at most 9/100
    expect(stop.result()).toEqual({ decided: true, flagged: true, scored: 91, saved: 9, beating: 0, invalid: 0, rank: null });
  });
  it('decides at once for an errored original, and waits for all detectors', () => {
    expect(new EarlyStop(100, NaN).result()).toEqual({ decided: true, flagged: false, scored: 0, saved: 100, beating: 0, invalid: 0, rank: NaN });
    const a = new EarlyStop(3, 0);
    const b = new EarlyStop(3, NaN);
    expect(allDecided([a, b])).toBe(false);
    a.add(1);
    expect(allDecided([a, b])).toBe(true);
  });
});

describe('ties', () => {
  it('strict (compat) ignores a tie; half (fixed) counts it as one half', () => {
    expect(rankOf(1, [1, 1, 1, 1])).toBe(0);
    expect(rankOf(1, [1, 1, 1, 1], 'half')).toBe(0.5);
    expect(rankOf(1, [2, 1, 0, 1], 'half')).toBe(0.5);
  });

  it('early stopping with half ties gives the flags of the full computation', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 2000; trial++) {
      const scores = Array.from({ length: 40 }, () => Math.floor(next() * 4));
      const original = Math.floor(next() * 4);
      const stop = new EarlyStop(40, original, 0.1, 'half');
      for (const s of scores) if (stop.add(s)) break;
      expect(stop.result().flagged).toBe(isFlagged(rankOf(original, scores, 'half')));
    }
  });
});
