import { describe, expect, it } from 'vitest';
import { deriveSeed, derivedRandom, seededRandom } from '../../src/util/random.js';

describe('seededRandom', () => {
  it('is repeatable, seed-dependent and in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 10000 }, () => a());
    expect(Array.from({ length: 10000 }, () => b())).toEqual(xs);
    expect(seededRandom(43)()).not.toBe(xs[0]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });
  it('gives the same stream on every machine and version: reports are reproduced from their seed', () => {
    const random = seededRandom(0);
    expect([random(), random(), random()].map((x) => x * 2 ** 32)).toEqual([464072896, 2089357934, 3193633698]);
  });
});

describe('deriveSeed', () => {
  it('is the first 32 bits of sha256("<seed>\\0<key>")', () => {
    expect(deriveSeed(0, 'gsm8k/test/0')).toBe(931375648);
    expect([deriveSeed(0, 'row 0'), deriveSeed(0, 'row 1')]).toEqual([179609972, 2110421064]);
  });
  it('gives unrelated seeds for nearby keys and base seeds', () => {
    const seeds = Array.from({ length: 1000 }, (_, i) => deriveSeed(0, `row ${i}`));
    expect(new Set(seeds).size).toBe(1000);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
    expect(deriveSeed(1, 'row 0')).not.toBe(seeds[0]);
  });
  it('derivedRandom is the stream of the derived seed', () => {
    const a = derivedRandom(7, 'blind-baseline');
    const b = seededRandom(deriveSeed(7, 'blind-baseline'));
    expect([a(), a()]).toEqual([b(), b()]);
  });
});
