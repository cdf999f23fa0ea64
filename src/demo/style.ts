/**
 * The demo language's text, drawn from one seeded stream: background documents and benchmark items in
 * the same templated style. The demo (corpus.ts) and the calibration cases (calibration.ts) both write
 * with it, so a calibration case is built exactly the way the demo is. Text written for this project
 * from templates and word lists (words.ts); nothing is taken from a real benchmark.
 *
 * Every item carries two invented names of its own (a person and a place) that occur nowhere else, and
 * the templates place them so that every random choice (a number, a colour, a job) comes within five
 * words after one of them, and one of them recurs after the first 40% of the words: what a model that
 * saw the item has memorised is exactly the item's own word sequence.
 */
import { ANIMALS, COLOURS, CONTAINERS, DIRECTIONS, FEATURES, JOBS, OBJECTS, SEASONS, inventNames } from './words.js';

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

/** Every number a template can write (the largest is a sum of two numbers up to 30). */
export const STYLE_NUMBERS: readonly string[] = Array.from({ length: 61 }, (_, i) => String(i));

const picker = (random: () => number): Pick => (xs) => xs[Math.floor(random() * xs.length)];
const numberer = (random: () => number) => (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

export interface WrittenItem {
  readonly text: string;
  /**
   * The same item told again: the same names and template, each of its random choices (numbers,
   * colours, jobs...) drawn afresh from `random` with probability `share`, else kept. share 0 gives
   * `text` back; a model trained on retellings has seen the item's names and shape, not its words.
   */
  retell(random: () => number, share: number): string;
}

export interface Style {
  /** `count` documents about the background's own people and places. */
  background(count: number): string[];
  /** `count` items, each with a person and a place of its own; item i uses template i mod 6. */
  items(count: number): WrittenItem[];
}

/**
 * A writer drawing from `random`. The stream is consumed in call order (names first, here), so a
 * caller that interleaves its own draws (which items are members) is reproducible from one seed.
 */
export function createStyle(random: () => number): Style {
  const pick = picker(random);
  const n = numberer(random);
  const taken = new Set<string>();
  const people = inventNames(80, random, taken);
  const places = inventNames(50, random, taken);
  return {
    background: (count) =>
      Array.from({ length: count }, () => {
        const cast = { person: pick(people), place: pick(places), other: pick(people), home: pick(places) };
        return pick(TEMPLATES)(cast, pick, n);
      }),
    // The same templates and background names, but a person and a place of its own.
    items: (count) =>
      Array.from({ length: count }, (_, i) => {
        const [person] = inventNames(1, random, taken);
        const [place] = inventNames(1, random, taken);
        const cast = { person, place, other: pick(people), home: pick(places) };
        const template = TEMPLATES[i % TEMPLATES.length];
        // The template's draws are recorded, so a retelling can replay or replace each one.
        const draws: number[] = [];
        const recording = () => {
          const x = random();
          draws.push(x);
          return x;
        };
        const text = template(cast, picker(recording), numberer(recording));
        const retell = (fresh: () => number, share: number) => {
          let next = 0;
          const replay = () => {
            const kept = draws[next++] ?? fresh();
            return fresh() < share ? fresh() : kept;
          };
          return template(cast, picker(replay), numberer(replay));
        };
        return { text, retell };
      }),
  };
}

/** Fisher-Yates over 0..n-1. */
export function shuffled(n: number, random: () => number): number[] {
  const xs = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
