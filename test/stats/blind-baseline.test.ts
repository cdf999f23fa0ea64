import { describe, expect, it } from 'vitest';
import { blindBaseline, blindBaselineWarning, outOfFoldScores, stratifiedFolds, type BlindItem } from '../../src/stats/blind-baseline.js';
import { textFeatures, wordsOf } from '../../src/stats/text-features.js';
import { seededRandom } from '../../src/util/random.js';

const WORDS = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}`);

/** Words from one skewed distribution whatever the label: only the length range can differ. */
function texts(seed: number, count: number, length: (random: () => number) => number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: length(random) }, () => WORDS[Math.floor(random() ** 2 * WORDS.length)]).join(' '));
}

const between = (lo: number, hi: number) => (random: () => number) => lo + Math.floor(random() * (hi - lo + 1));

describe('blindBaseline', () => {
  it('separates members from non-members that differ only in length, and warns', () => {
    const items: BlindItem[] = [
      ...texts(1, 60, between(8, 16)).map((text) => ({ text, member: true })),
      ...texts(2, 60, between(20, 32)).map((text) => ({ text, member: false })),
    ];
    const b = blindBaseline(items, { seed: 0 })!;
    // Every member is shorter than every non-member: the classifier learns it from the length features.
    expect(b).toEqual({
      auroc: 1,
      interval: { low: 1, high: 1 },
      lengthAuroc: 0,
      lengthInterval: { low: 0, high: 0 },
      members: 60,
      nonMembers: 60,
      folds: 5,
      method:
        '5-fold stratified cross-validation (seed 0) of an L2 logistic regression on lowercased word unigrams and bigrams (present in at least 2 items) ' +
        'plus log word count, log character count, digit share, uppercase share of letters, punctuation share, mean word length; out-of-fold scores',
      warning:
        'a model-free bag-of-words classifier separates members from non-members with AUROC 1.00 (word count alone: 0.00): ' +
        "the labelled AUROCs measure the split's distribution shift as much as the detectors",
    });
  });

  it('finds overlapping length ranges too, far above chance', () => {
    const items: BlindItem[] = [
      ...texts(11, 60, between(8, 22)).map((text) => ({ text, member: true })),
      ...texts(12, 60, between(15, 30)).map((text) => ({ text, member: false })),
    ];
    const b = blindBaseline(items, { seed: 0 })!;
    expect(b.auroc).toBeGreaterThan(0.75);
    expect(b.interval.low).toBeGreaterThan(0.6);
    expect(b.lengthAuroc).toBeLessThan(0.25);
    expect(b.warning).toMatch(/^a model-free bag-of-words classifier separates members from non-members with AUROC 0\.\d\d/);
  });

  it('stays near chance without a warning when the labels are random with respect to the text', () => {
    const labels = seededRandom(3);
    const items = texts(4, 300, between(10, 40)).map((text) => ({ text, member: labels() < 0.5 }));
    const b = blindBaseline(items, { seed: 0 })!;
    expect(Math.abs(b.auroc - 0.5)).toBeLessThan(0.08);
    expect(Math.abs(b.lengthAuroc - 0.5)).toBeLessThan(0.08);
    expect(b.interval.low).toBeLessThan(0.5);
    expect(b.warning).toBeUndefined();
  });

  it('is a function of the items and the seed', () => {
    const labels = seededRandom(5);
    const items = texts(6, 80, between(5, 30)).map((text) => ({ text, member: labels() < 0.4 }));
    expect(blindBaseline(items, { seed: 7 })).toEqual(blindBaseline(items, { seed: 7 }));
    expect(outOfFoldScores(items, 5, 7)).toEqual(outOfFoldScores(items, 5, 7));
    // Another seed deals other folds, so other classifiers score the items.
    expect(outOfFoldScores(items, 5, 8)).not.toEqual(outOfFoldScores(items, 5, 7));
  });

  it('uses fewer folds for a small class, and only word count below 2 items in a class', () => {
    const pool = texts(9, 8, between(3, 9));
    const labelled = (members: number, nonMembers: number): BlindItem[] => [
      ...pool.slice(0, members).map((text) => ({ text, member: true })),
      ...pool.slice(members, members + nonMembers).map((text) => ({ text, member: false })),
    ];
    expect(blindBaseline(labelled(3, 5))!.folds).toBe(3);
    expect(blindBaseline(labelled(2, 6))!.folds).toBe(2);
    const one = blindBaseline(labelled(1, 5))!;
    expect(one.folds).toBe(0);
    expect(one.auroc).toBeNaN();
    expect(one.interval.low).toBeNaN();
    expect(Number.isFinite(one.lengthAuroc)).toBe(true);
    expect(one.method).toBe('too few items to cross-validate (1 members, 5 non-members; at least 2 of each needed): word count alone');
    // No AUROC without both classes.
    expect(blindBaseline(labelled(0, 6))).toBeUndefined();
    expect(blindBaseline([])).toBeUndefined();
  });
});

describe('stratifiedFolds', () => {
  it('puts both classes in every fold, fold sizes within one of each other', () => {
    const members = Array.from({ length: 23 }, (_, i) => i % 3 === 0);
    const fold = stratifiedFolds(members, 5, 1);
    for (let f = 0; f < 5; f++) {
      const mine = members.filter((_, i) => fold[i] === f);
      expect(mine.filter(Boolean).length).toBeGreaterThanOrEqual(1);
      expect(mine.filter((m) => !m).length).toBeGreaterThanOrEqual(3);
      expect([4, 5]).toContain(mine.length);
    }
  });
});

describe('blindBaselineWarning', () => {
  const nan = { low: NaN, high: NaN };
  const base = { auroc: 0.55, interval: { low: 0.45, high: 0.65 }, lengthAuroc: 0.5, lengthInterval: { low: 0.4, high: 0.6 }, members: 10, nonMembers: 10, folds: 5 };
  it('warns when an interval excludes chance and the AUROC is large or its low end above 0.6', () => {
    expect(blindBaselineWarning(base)).toBeUndefined();
    expect(blindBaselineWarning({ ...base, auroc: 0.8, interval: { low: 0.55, high: 0.95 } })).toMatch(/^a model-free bag-of-words classifier separates members from non-members with AUROC 0\.80 \(word count alone: 0\.50\)/);
    expect(blindBaselineWarning({ ...base, auroc: 0.66, interval: { low: 0.61, high: 0.71 } })).toBeDefined();
    // Large but indistinguishable from chance (a handful of items), or clearly above chance but small.
    expect(blindBaselineWarning({ ...base, auroc: 0.8, interval: { low: 0.45, high: 1 } })).toBeUndefined();
    expect(blindBaselineWarning({ ...base, auroc: 0.58, interval: { low: 0.55, high: 0.61 } })).toBeUndefined();
  });
  it('reads word count alone in both directions', () => {
    expect(blindBaselineWarning({ ...base, lengthAuroc: 0.1, lengthInterval: { low: 0.02, high: 0.2 } })).toBe(
      "word count alone separates members from non-members with AUROC 0.10 (members are shorter): the labelled AUROCs measure the split's distribution shift as much as the detectors",
    );
    expect(blindBaselineWarning({ ...base, auroc: NaN, interval: nan, folds: 0, lengthAuroc: 0.9, lengthInterval: { low: 0.7, high: 1 } })).toMatch(/^word count alone separates members from non-members with AUROC 0\.90 \(members are longer\)/);
  });
});

describe('text features', () => {
  it('splits lowercased words and counts shares of the characters', () => {
    expect(wordsOf("In 2024, O'Neil's cat: 3 naps!")).toEqual(['in', '2024', "o'neil's", 'cat', '3', 'naps']);
    const [logWords, logChars, digits, upper, punctuation, meanWord] = textFeatures('AB 12.');
    expect([logWords, logChars]).toEqual([Math.log(3), Math.log(7)]);
    expect([digits, upper, punctuation, meanWord]).toEqual([2 / 6, 1, 1 / 6, 2]);
    expect([...textFeatures('')]).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
