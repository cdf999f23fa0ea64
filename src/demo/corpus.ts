/**
 * The demo's text, generated from a seed: a background corpus that both demo models learn from, and
 * three small benchmarks in the same style. Text written for this project from templates and word
 * lists (words.ts); nothing is taken from a real benchmark.
 *
 * Why the detectors can tell members from non-members: every benchmark item carries two invented
 * names of its own (a person and a place) that occur nowhere else, and the templates place them so
 * that every random choice (a number, a colour, a job) comes within five words after one of them, and
 * one of them recurs after the first 40% of the words. The target's training text holds member items
 * three times, so its 6-gram model (ngram.ts) has memorised their word sequences: a context holding an
 * item's name was always followed by the same word. On an unseen item those names are words the model
 * has no context for. Min-K%++ (the least likely tokens) sees that directly; the neighbour rank sees it
 * because the reference's continuations of a member's first 40% leave the memorised path, which the
 * target then scores worse than the original, while a non-member's own continuation, with its unseen
 * name, scores worse than the neighbours.
 */
import { createRng } from '../util/rng.js';
import { ANIMALS, COLOURS, CONTAINERS, DIRECTIONS, FEATURES, JOBS, OBJECTS, SEASONS, inventNames } from './words.js';

export interface CorpusSize {
  readonly backgroundDocs: number;
  readonly itemsPerBenchmark: number;
  /** Fraction of demo-partial's items put in the target's training text. */
  readonly partialFraction: number;
  /** How often each member item appears in the target's training text. */
  readonly repeats: number;
}

export interface DemoItem {
  readonly text: string;
  /** In the target's training text. */
  readonly member: boolean;
}

export interface DemoCorpus {
  /** Every word of every text, in order of first appearance (specials not included). */
  readonly words: readonly string[];
  /** Documents both models learn from. */
  readonly background: readonly string[];
  readonly contaminated: readonly DemoItem[];
  readonly clean: readonly DemoItem[];
  readonly partial: readonly DemoItem[];
}

/** Who and where a text is about; `person` and `place` are the names that make an item distinctive. */
interface Cast {
  readonly person: string;
  readonly place: string;
  readonly other: string;
  readonly home: string;
}

type Pick = <T>(xs: readonly T[]) => T;
type Template = (c: Cast, pick: Pick, n: (lo: number, hi: number) => number) => string;

/** Background and items share these; see the file header for why the names sit where they do. */
const TEMPLATES: readonly Template[] = [
  (c, pick) => `The town of ${c.home} lies ${pick(DIRECTIONS)} of ${c.place} , near a ${pick(COLOURS)} ${pick(FEATURES)} .`,
  (c, pick) =>
    `${c.person} is a ${pick(JOBS)} in ${c.place} . ${c.person} keeps a ${pick(COLOURS)} ${pick(ANIMALS)} , and ${c.person} sells ${pick(OBJECTS)} at the ${pick(FEATURES)} .`,
  (c, pick, n) => {
    const [a, b, things] = [n(2, 30), n(2, 30), pick(OBJECTS)];
    return `${c.person} has ${a} ${things} in the ${pick(CONTAINERS)} at ${c.place} . ${c.other} brings ${b} more . How many ${things} does ${c.person} have now ? The answer is ${a + b} .`;
  },
  (c, pick, n) => {
    const [a, things] = [n(10, 40), pick(OBJECTS)];
    const b = n(1, a - 1);
    return `${c.person} of ${c.place} had ${a} ${things} . ${c.person} gave ${b} to the ${pick(JOBS)} . ${c.person} of ${c.place} has ${a - b} ${things} left .`;
  },
  (c, pick, n) => `In ${pick(SEASONS)} , ${c.person} walked from ${c.home} to ${c.place} with a ${pick(ANIMALS)} and ${n(2, 20)} ${pick(OBJECTS)} .`,
  (c, pick) => `Question : Who is the ${pick(JOBS)} of ${c.place} ? Answer : ${c.person} , who lives by the ${pick(FEATURES)} .`,
];

export const DEMO_SIZES = {
  full: { backgroundDocs: 6000, itemsPerBenchmark: 40, partialFraction: 0.4, repeats: 3 },
  ci: { backgroundDocs: 6000, itemsPerBenchmark: 20, partialFraction: 0.4, repeats: 3 },
} as const satisfies Record<string, CorpusSize>;

export function generateCorpus(size: CorpusSize, seed: number): DemoCorpus {
  const random = createRng(seed);
  const pick: Pick = (xs) => xs[Math.floor(random() * xs.length)];
  const n = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const taken = new Set<string>();
  const people = inventNames(80, random, taken);
  const places = inventNames(50, random, taken);

  const background = Array.from({ length: size.backgroundDocs }, () => {
    const cast = { person: pick(people), place: pick(places), other: pick(people), home: pick(places) };
    return pick(TEMPLATES)(cast, pick, n);
  });
  // Items: the same templates and background names, but a person and a place of their own.
  const items = (count: number, member: (i: number) => boolean): DemoItem[] =>
    Array.from({ length: count }, (_, i) => {
      const [person] = inventNames(1, random, taken);
      const [place] = inventNames(1, random, taken);
      const cast = { person, place, other: pick(people), home: pick(places) };
      return { text: TEMPLATES[i % TEMPLATES.length](cast, pick, n), member: member(i) };
    });
  const count = size.itemsPerBenchmark;
  const members = new Set(shuffled(count, random).slice(0, Math.round(count * size.partialFraction)));
  const contaminated = items(count, () => true);
  const clean = items(count, () => false);
  const partial = items(count, (i) => members.has(i));

  const words = new Set<string>();
  for (const text of [...background, ...[contaminated, clean, partial].flat().map((x) => x.text)]) {
    for (const word of text.split(' ')) words.add(word);
  }
  return { words: [...words], background, contaminated, clean, partial };
}

/** Fisher-Yates over 0..n-1. */
function shuffled(n: number, random: () => number): number[] {
  const xs = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/**
 * The two training texts, as documents in a seeded order. They differ only in the member items,
 * which the target sees `repeats` times each: that is the contamination.
 */
export function trainingDocs(corpus: DemoCorpus, size: CorpusSize, seed: number): { target: string[]; reference: string[] } {
  const members = [corpus.contaminated, corpus.partial].flat().filter((x) => x.member).map((x) => x.text);
  const target = [...corpus.background, ...Array.from({ length: size.repeats }, () => members).flat()];
  const random = createRng(seed ^ 0x5bd1e995);
  return { target: shuffled(target.length, random).map((i) => target[i]), reference: [...corpus.background] };
}
