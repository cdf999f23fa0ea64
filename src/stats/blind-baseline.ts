/**
 * A blind baseline for labelled evaluation: how well the item texts alone, with no model, tell members
 * from non-members. Das et al. 2024 ("Blind Baselines Beat Membership Inference Attacks for Foundation
 * Models", arXiv 2406.16201) reach AUROC 0.99 on WikiMIA with a bag-of-words classifier: when the two
 * sets differ in distribution (dates, topics, length), any detector looks good. A detector's labelled
 * AUROC means little unless it clearly beats this number.
 *
 * The classifier is an L2 logistic regression on lowercased word unigrams and bigrams (present/absent)
 * plus a few text features, scored out of fold by stratified k-fold cross-validation, so every item is
 * scored by a model that never saw it. Word count alone is reported beside it: length is the classic
 * confound, and needs no training. Both AUROCs use the detectors' interval (stats/roc.ts).
 */
import { auroc, aurocInterval } from './roc.js';
import type { Interval } from './bootstrap.js';
import { textFeatures, wordsOf, DENSE_FEATURES } from './text-features.js';
import { derivedRandom } from '../util/random.js';

export interface BlindItem {
  readonly text: string;
  readonly member: boolean;
}

export interface BlindBaseline {
  /** Out-of-fold classifier score (higher = member), as an AUROC; NaN when too few items to cross-validate. */
  readonly auroc: number;
  readonly interval: Interval;
  /** AUROC of word count alone, read as "longer = member": below 0.5 means members are shorter. */
  readonly lengthAuroc: number;
  readonly lengthInterval: Interval;
  readonly members: number;
  readonly nonMembers: number;
  /** Cross-validation folds; 0 when a class has fewer than 2 items and the classifier was not run. */
  readonly folds: number;
  /** What was computed, in words. */
  readonly method: string;
  /** Set when the texts alone separate the classes far above chance (see blindBaselineWarning). */
  readonly warning?: string;
}

export interface BlindBaselineOptions {
  readonly seed?: number;
  /** At most this many folds (default 5); fewer when a class is smaller. */
  readonly folds?: number;
  /** Bootstrap resamples for both intervals (default 1000, as for the detectors' labelled AUROC). */
  readonly resamples?: number;
}

export const DEFAULT_FOLDS = 5;
/** Gradient steps per fold; fixed so the result never depends on timing, and early enough to regularise. */
const ITERATIONS = 100;
/** A feature in fewer items than this cannot be in a training fold and a test fold at once. */
const MIN_ITEMS_PER_FEATURE = 2;

/**
 * Fold of each item: members, shuffled with the seed, are dealt to folds 0..k-1 in turn, and
 * non-members likewise continuing the rotation, so every fold holds both classes and sizes differ by
 * at most one. k <= the smaller class, so no training set lacks a class.
 */
export function stratifiedFolds(members: readonly boolean[], k: number, seed: number): number[] {
  const random = derivedRandom(seed, 'blind-baseline');
  const fold = new Array<number>(members.length).fill(0);
  let next = 0;
  for (const cls of [true, false]) {
    const idx = members.flatMap((m, i) => (m === cls ? [i] : []));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    for (const i of idx) fold[i] = next++ % k;
  }
  return fold;
}

/**
 * Each item's bag of words as a row of a sparse matrix (CSR): unigrams and bigrams present in at least
 * MIN_ITEMS_PER_FEATURE items.
 */
interface Design {
  /** Row i's feature ids are columns[offsets[i] .. offsets[i + 1]). */
  readonly offsets: Int32Array;
  readonly columns: Int32Array;
  /** 1 / sqrt(row length): each bag has unit length, so long texts do not dominate. */
  readonly scale: Float64Array;
  readonly vocabulary: number;
  /** Raw text features, DENSE_FEATURES.length per item; standardised per fold on its training items. */
  readonly dense: Float64Array;
}

function design(texts: readonly string[]): Design {
  const wordId = new Map<string, number>();
  const idFor = (word: string): number => {
    if (!wordId.has(word)) wordId.set(word, wordId.size);
    return wordId.get(word)!;
  };
  const words = texts.map((text) => wordsOf(text).map(idFor));
  // Unigram a is key a, bigram (a, b) is key W + a W + b: numbers hash faster than joined strings.
  const w = wordId.size;
  const keys = words.map((ids) => {
    const row = new Float64Array(ids.length * 2 - (ids.length ? 1 : 0));
    ids.forEach((a, k) => {
      row[k] = a;
      if (k > 0) row[ids.length + k - 1] = w + ids[k - 1] * w + a;
    });
    row.sort();
    return row.filter((key, k) => k === 0 || key !== row[k - 1]);
  });
  // Document frequencies by sorting every item's distinct keys together: a Map of a few hundred
  // thousand non-integer keys was the slowest step. Kept keys get ids in key order.
  const all = new Float64Array(keys.reduce((n, row) => n + row.length, 0));
  let at = 0;
  for (const row of keys) all.set(row, (at += row.length) - row.length);
  all.sort();
  const kept: number[] = [];
  for (let k = 0; k < all.length; ) {
    let end = k + 1;
    while (end < all.length && all[end] === all[k]) end++;
    if (end - k >= MIN_ITEMS_PER_FEATURE) kept.push(all[k]);
    k = end;
  }
  const idOf = (key: number): number => {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (kept[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo < kept.length && kept[lo] === key ? lo : -1;
  };
  const offsets = new Int32Array(texts.length + 1);
  const columns: number[] = [];
  keys.forEach((row, i) => {
    for (const key of row) {
      const f = idOf(key);
      if (f >= 0) columns.push(f);
    }
    offsets[i + 1] = columns.length;
  });
  const d = DENSE_FEATURES.length;
  const dense = new Float64Array(texts.length * d);
  texts.forEach((text, i) => dense.set(textFeatures(text), i * d));
  return {
    offsets,
    columns: Int32Array.from(columns),
    scale: Float64Array.from({ length: texts.length }, (_, i) => (offsets[i + 1] > offsets[i] ? 1 / Math.sqrt(offsets[i + 1] - offsets[i]) : 0)),
    vocabulary: kept.length,
    dense,
  };
}

/** Dense features z-scored with the training items' mean and standard deviation (0 where constant). */
function standardised(x: Design, train: readonly number[]): Float64Array {
  const d = DENSE_FEATURES.length;
  const z = new Float64Array(x.dense.length);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (const i of train) mean += x.dense[i * d + j] / train.length;
    let variance = 0;
    for (const i of train) variance += (x.dense[i * d + j] - mean) ** 2 / train.length;
    const sd = Math.sqrt(variance);
    for (let i = 0; i < x.scale.length; i++) z[i * d + j] = sd > 0 ? (x.dense[i * d + j] - mean) / sd : 0;
  }
  return z;
}

/**
 * L2 logistic regression (sklearn's default C = 1: penalty ||w||^2 / 2 beside the summed log loss, so
 * lambda = 1/n on the mean), fitted by Nesterov-accelerated gradient descent from zero for a fixed
 * number of steps. Returns the linear score of every item, training items included.
 */
function foldScores(x: Design, y: readonly boolean[], trainItems: readonly number[]): Float64Array {
  const { offsets, columns, scale } = x;
  const d = DENSE_FEATURES.length;
  const v = x.vocabulary;
  const z = standardised(x, trainItems);
  const train = Int32Array.from(trainItems);
  const target = Float64Array.from(y, (member) => (member ? 1 : 0));
  const size = v + d + 1; // bag weights, dense weights, intercept last
  const n = train.length;
  const lambda = 1 / n;
  // The mean log loss has Hessian <= X'X / 4n, whose largest eigenvalue is at most its trace: the
  // mean squared row norm, <= 1 (bag) + d (z-scores: mean square 1 each) + 1 (intercept).
  const step = 1 / ((1 + d + 1) / 4 + lambda);
  const linear = (w: Float64Array, i: number): number => {
    let bag = 0;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) bag += w[columns[k]];
    let s = w[size - 1] + bag * scale[i];
    for (let j = 0; j < d; j++) s += w[v + j] * z[i * d + j];
    return s;
  };
  const w = new Float64Array(size);
  const previous = new Float64Array(size);
  const look = new Float64Array(size);
  const grad = new Float64Array(size);
  let t = 1;
  for (let it = 0; it < ITERATIONS; it++) {
    const tNext = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    const momentum = (t - 1) / tNext;
    for (let f = 0; f < size; f++) {
      look[f] = w[f] + momentum * (w[f] - previous[f]);
      grad[f] = lambda * look[f];
    }
    grad[size - 1] = 0; // the intercept is not penalised
    for (let m = 0; m < n; m++) {
      const i = train[m];
      const r = (1 / (1 + Math.exp(-linear(look, i))) - target[i]) / n;
      const rs = r * scale[i];
      for (let k = offsets[i]; k < offsets[i + 1]; k++) grad[columns[k]] += rs;
      for (let j = 0; j < d; j++) grad[v + j] += r * z[i * d + j];
      grad[size - 1] += r;
    }
    for (let f = 0; f < size; f++) {
      previous[f] = w[f];
      w[f] = look[f] - step * grad[f];
    }
    t = tNext;
  }
  return Float64Array.from(y, (_, i) => linear(w, i));
}

/** Out-of-fold classifier scores, one per item, in item order. */
export function outOfFoldScores(items: readonly BlindItem[], k: number, seed: number): number[] {
  const x = design(items.map((item) => item.text));
  const y = items.map((item) => item.member);
  const fold = stratifiedFolds(y, k, seed);
  const scores = new Array<number>(items.length).fill(NaN);
  for (let f = 0; f < k; f++) {
    const score = foldScores(x, y, fold.flatMap((g, i) => (g === f ? [] : [i])));
    fold.forEach((g, i) => {
      if (g === f) scores[i] = score[i];
    });
  }
  return scores;
}

/** Far above chance: see blindBaselineWarning. */
function farAboveChance(value: number, interval: Interval): boolean {
  return interval.low > 0.5 && (value >= 0.75 || interval.low > 0.6);
}

const two = (x: number): string => x.toFixed(2);

/**
 * The rule: the texts separate the classes far above chance when an AUROC's 95% interval excludes
 * chance (low end > 0.5) and either the estimate is large (>= 0.75, which matters with few items,
 * where intervals are wide) or even the low end is material (> 0.6, which matters with many items,
 * where a modest AUROC is still a real shift). It applies to the classifier, and to word count alone
 * in either direction, since length was not fitted and shorter members are as telling as longer ones.
 */
export function blindBaselineWarning(b: Omit<BlindBaseline, 'warning' | 'method'>): string | undefined {
  const flipped = { low: 1 - b.lengthInterval.high, high: 1 - b.lengthInterval.low };
  const byClassifier = farAboveChance(b.auroc, b.interval);
  const byLength = farAboveChance(b.lengthAuroc, b.lengthInterval) || farAboveChance(1 - b.lengthAuroc, flipped);
  if (!byClassifier && !byLength) return undefined;
  const longer = b.lengthAuroc >= 0.5 ? 'members are longer' : 'members are shorter';
  // Under 200 characters: report.md shows notes up to that length.
  const lead = byClassifier
    ? `a model-free bag-of-words classifier separates members from non-members with AUROC ${two(b.auroc)} (word count alone: ${two(b.lengthAuroc)})`
    : `word count alone separates members from non-members with AUROC ${two(b.lengthAuroc)} (${longer})`;
  return `${lead}: the labelled AUROCs measure the split's distribution shift as much as the detectors`;
}

/**
 * The baseline over labelled items (both classes needed, else undefined: there is no AUROC). With
 * fewer than 2 items in a class no fold could train on both classes, so the classifier is not run
 * (auroc NaN, folds 0) and only word count, which needs no training, is reported.
 */
export function blindBaseline(items: readonly BlindItem[], options: BlindBaselineOptions = {}): BlindBaseline | undefined {
  const seed = options.seed ?? 0;
  const bootstrap = { seed, resamples: options.resamples ?? 1000 };
  const members = items.filter((x) => x.member).length;
  const nonMembers = items.length - members;
  if (members === 0 || nonMembers === 0) return undefined;
  const k = Math.min(options.folds ?? DEFAULT_FOLDS, members, nonMembers);
  const folds = k >= 2 ? k : 0;
  const split = (scores: readonly number[]) => [scores.filter((_, i) => items[i].member), scores.filter((_, i) => !items[i].member)] as const;
  const [mc, nc] = folds ? split(outOfFoldScores(items, folds, seed)) : [[], []];
  const [ml, nl] = split(items.map((x) => wordsOf(x.text).length));
  const numbers = {
    auroc: folds ? auroc(mc, nc) : NaN,
    interval: folds ? aurocInterval(mc, nc, bootstrap) : { low: NaN, high: NaN },
    lengthAuroc: auroc(ml, nl),
    lengthInterval: aurocInterval(ml, nl, bootstrap),
    members,
    nonMembers,
    folds,
  };
  const method = folds
    ? `${folds}-fold stratified cross-validation (seed ${seed}) of an L2 logistic regression on lowercased word unigrams and bigrams ` +
      `(present in at least ${MIN_ITEMS_PER_FEATURE} items) plus ${DENSE_FEATURES.join(', ')}; out-of-fold scores`
    : `too few items to cross-validate (${members} members, ${nonMembers} non-members; at least 2 of each needed): word count alone`;
  const warning = blindBaselineWarning(numbers);
  return { ...numbers, method, ...(warning ? { warning } : {}) };
}
