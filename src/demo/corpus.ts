/**
 * The demo's text, generated from a seed in the demo style (style.ts): a background corpus that both
 * demo models learn from, and three small benchmarks in the same style.
 *
 * Why the detectors can tell members from non-members: every benchmark item carries two invented
 * names of its own, placed so that every random choice comes within five words after one of them
 * (style.ts). The target's training text holds member items three times, so its 6-gram model
 * (ngram.ts) has memorised their word sequences: a context holding an item's name was always followed
 * by the same word. On an unseen item those names are words the model has no context for. Min-K%++
 * (the least likely tokens) sees that directly; the neighbour rank sees it because the reference's
 * continuations of a member's first 40% leave the memorised path, which the target then scores worse
 * than the original, while a non-member's own continuation, with its unseen name, scores worse than
 * the neighbours.
 */
import { derivedRandom, seededRandom } from '../util/random.js';
import { createStyle, shuffled } from './style.js';

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

export const DEMO_SIZES = {
  full: { backgroundDocs: 6000, itemsPerBenchmark: 40, partialFraction: 0.4, repeats: 3 },
  ci: { backgroundDocs: 6000, itemsPerBenchmark: 20, partialFraction: 0.4, repeats: 3 },
} as const satisfies Record<string, CorpusSize>;

export function generateCorpus(size: CorpusSize, seed: number): DemoCorpus {
  const random = seededRandom(seed);
  const style = createStyle(random);
  const background = style.background(size.backgroundDocs);
  const count = size.itemsPerBenchmark;
  const members = new Set(shuffled(count, random).slice(0, Math.round(count * size.partialFraction)));
  const items = (member: (i: number) => boolean): DemoItem[] => style.items(count).map((item, i) => ({ text: item.text, member: member(i) }));
  const contaminated = items(() => true);
  const clean = items(() => false);
  const partial = items((i) => members.has(i));

  const words = new Set<string>();
  for (const text of [...background, ...[contaminated, clean, partial].flat().map((x) => x.text)]) {
    for (const word of text.split(' ')) words.add(word);
  }
  return { words: [...words], background, contaminated, clean, partial };
}

/**
 * The two training texts, as documents in a seeded order. They differ only in the member items,
 * which the target sees `repeats` times each: that is the contamination.
 */
export function trainingDocs(corpus: DemoCorpus, size: CorpusSize, seed: number): { target: string[]; reference: string[] } {
  const members = [corpus.contaminated, corpus.partial].flat().filter((x) => x.member).map((x) => x.text);
  const target = [...corpus.background, ...Array.from({ length: size.repeats }, () => members).flat()];
  const random = derivedRandom(seed, 'training-order');
  return { target: shuffled(target.length, random).map((i) => target[i]), reference: [...corpus.background] };
}
