/**
 * Calibration cases: audits whose answer is known, built the way the demo is (style.ts, train.ts), so a
 * detector's sensitivity can be stated as numbers (issue 17). A case is a benchmark of N items in the
 * demo style, a reference trained on the background only, and a target trained on the background plus
 * a chosen share of the benchmark's items, each seen `repeats` times, or, for a twin, plus as many
 * *other* items of the same style: the benchmark is then clean, though the target has seen as much
 * benchmark-style text as a contaminated one.
 *
 * Memorisation has two settings. strong is the demo's: every member three times, word for word; its
 * loss AUROC (members vs non-members) is 1. weak shows each member once, retold with half its choices
 * redrawn (style.ts), to a target with a larger Kneser-Ney discount (0.95 instead of 0.75), which keeps
 * less of any word sequence seen once; its loss AUROC is about 0.9 (0.88-0.93 over seeds at 150 items).
 * Fewer repeats or retelling alone are not enough: an item's invented names are unseen words for a
 * model that never saw the item, and any exposure to them moves the loss (AUROC 0.99 at one retold copy).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchmarkSpec } from '../audit/types.js';
import { fixtureVocabulary } from '../onnx/fixture-tokenizer.js';
import { derivedRandom, seededRandom } from '../util/random.js';
import { buildOnce } from './build-once.js';
import { DEMO_SEED } from './prepare.js';
import { STYLE_NUMBERS, createStyle, shuffled } from './style.js';
import { trainModel } from './train.js';

/**
 * Bump whenever anything that changes a case's files changes: old cases are then rebuilt.
 * 2: the texts are drawn from util/random.ts (sfc32) instead of mulberry32.
 */
export const CALIBRATION_VERSION = 2;

export interface Memorisation {
  /** How often the target's training text holds each chosen item. */
  readonly repeats: number;
  /** Share of an item's random choices redrawn in each copy the target sees (0: word for word). */
  readonly retold: number;
  /** The target's Kneser-Ney discount D (ngram.ts; default 0.75): a larger D keeps less of what was seen once. */
  readonly discount?: number;
}

export const MEMORISATION = {
  /** As the demo: three verbatim copies. */
  strong: { repeats: 3, retold: 0 },
  /** Once, half its choices redrawn, and a target that keeps less of what it saw once: loss AUROC about 0.9. */
  weak: { repeats: 1, retold: 0.5, discount: 0.95 },
} as const satisfies Record<string, Memorisation>;

/** What makes a case; calibrationTexts needs only this, buildCalibrationCase also a folder. */
export interface CalibrationSpec {
  /** Benchmark items, at most 300 (the 6-gram's context keys must fit a double). */
  readonly items: number;
  /** Share of the benchmark's items in the target's training text (or of twin items, for a twin). */
  readonly memberFraction: number;
  readonly strength?: keyof typeof MEMORISATION | Memorisation;
  /** The target trains on other items of the same style; the benchmark has no members. */
  readonly twin?: boolean;
  readonly seed?: number;
  /** Background documents both models learn from; 6000 by default, as the demo. */
  readonly backgroundDocs?: number;
}

export interface CalibrationCaseOptions extends CalibrationSpec {
  /** Cache folder; each case lives in a subfolder named by its parameters and is built once. */
  readonly dir: string;
}

export interface CalibrationTexts {
  readonly background: readonly string[];
  /** The benchmark, in order, with its labels. */
  readonly benchmark: readonly { readonly text: string; readonly member: boolean }[];
  /** What the target learns from beyond the background: member items, or twin items, as told. */
  readonly extra: readonly string[];
  /** The shared vocabulary: every word any case of this size and seed can write, numbers included. */
  readonly words: readonly string[];
}

export interface CalibrationCase {
  /** The case's own folder, holding target/ and benchmark.jsonl; the reference folder sits beside it. */
  readonly dir: string;
  readonly targetDir: string;
  readonly referenceDir: string;
  /** The labelled benchmark (member / non-member), as the demo writes them; named after the case. */
  readonly benchmark: BenchmarkSpec;
  readonly members: number;
  readonly memorisation: Memorisation;
  /** False when the cache already held the case (and its reference). */
  readonly built: boolean;
}

const MARKER = 'complete.json';
/** As the demo's (corpus.ts DEMO_SIZES). */
const BACKGROUND_DOCS = 6000;

/** The spec's memorisation, after checking the spec: a bad number fails before any work. */
function memorisationOf(spec: CalibrationSpec): Memorisation {
  const strength = spec.strength ?? 'strong';
  const m: Memorisation = typeof strength === 'string' ? MEMORISATION[strength] : strength;
  const bad = (what: string) => {
    throw new RangeError(`calibration case: ${what}`);
  };
  if (!Number.isInteger(spec.items) || spec.items < 1 || spec.items > 300) bad(`items must be a whole number from 1 to 300, got ${spec.items}`);
  if (!(spec.memberFraction >= 0 && spec.memberFraction <= 1)) bad(`memberFraction must be from 0 to 1, got ${spec.memberFraction}`);
  if (!Number.isInteger(m.repeats) || m.repeats < 1) bad(`repeats must be a whole number >= 1, got ${m.repeats}`);
  if (!(m.retold >= 0 && m.retold <= 1)) bad(`retold must be from 0 to 1, got ${m.retold}`);
  if (m.discount !== undefined && !(m.discount > 0 && m.discount < 1)) bad(`discount must be between 0 and 1, got ${m.discount}`);
  const docs = spec.backgroundDocs ?? BACKGROUND_DOCS;
  if (!Number.isInteger(docs) || docs < 1) bad(`backgroundDocs must be a whole number >= 1, got ${docs}`);
  return m;
}

/**
 * The case's text, no files: the same seed gives the same background, benchmark, twin items and
 * member order for every fraction and memorisation, so members at 10% are among those at 25%, and every
 * case of one size shares one reference.
 */
export function calibrationTexts(options: CalibrationSpec): CalibrationTexts {
  const m = memorisationOf(options);
  const seed = options.seed ?? DEMO_SEED;
  const random = seededRandom(seed);
  const style = createStyle(random);
  const background = style.background(options.backgroundDocs ?? BACKGROUND_DOCS);
  const items = style.items(options.items);
  const twins = style.items(options.items);
  const order = shuffled(options.items, random);
  const chosen = order.slice(0, Math.round(options.items * options.memberFraction));
  const members = new Set(options.twin ? [] : chosen);
  const told = options.twin ? twins : items;
  // Each copy is told afresh, so two weak copies of an item need not agree either.
  const fresh = derivedRandom(seed, 'calibration-retell');
  const extra = Array.from({ length: m.repeats }, () => chosen.map((i) => told[i].retell(fresh, m.retold))).flat();

  const words = new Set<string>(STYLE_NUMBERS);
  for (const text of [...background, ...items.map((x) => x.text), ...twins.map((x) => x.text)]) for (const word of text.split(' ')) words.add(word);
  return { background, benchmark: items.map((x, i) => ({ text: x.text, member: members.has(i) })), extra, words: [...words] };
}

function caseName(options: CalibrationSpec, m: Memorisation): string {
  const percent = Math.round(options.memberFraction * 1000) / 10;
  return `${options.twin ? 'twin' : 'members'}-${percent}-r${m.repeats}-retold${m.retold}${m.discount === undefined ? '' : `-d${m.discount}`}`;
}

/**
 * Builds a case into `<dir>/calibration-v<version>-n<items>-bg<docs>-s<seed>/<case>/` (the reference
 * once per size and seed, beside the cases) unless it is already there.
 */
export function buildCalibrationCase(options: CalibrationCaseOptions): CalibrationCase {
  const m = memorisationOf(options);
  const seed = options.seed ?? DEMO_SEED;
  const base = join(options.dir, `calibration-v${CALIBRATION_VERSION}-n${options.items}-bg${options.backgroundDocs ?? BACKGROUND_DOCS}-s${seed}`);
  const name = caseName(options, m);
  const dir = join(base, name);
  let texts: CalibrationTexts | undefined;
  const textsOnce = () => (texts ??= calibrationTexts(options));
  const vocabularyOf = (t: CalibrationTexts) => fixtureVocabulary(t.words);

  const referenceBuilt = buildOnce(join(base, 'reference'), MARKER, (staging) => {
    const t = textsOnce();
    trainModel({ dir: staging, role: 'reference', docs: t.background, vocabulary: vocabularyOf(t), seed });
    return { version: CALIBRATION_VERSION, seed };
  });
  const caseBuilt = buildOnce(dir, MARKER, (staging) => {
    const t = textsOnce();
    const ngram = m.discount === undefined ? {} : { discount: m.discount };
    trainModel({ dir: join(staging, 'target'), role: 'target', docs: [...t.background, ...t.extra], vocabulary: vocabularyOf(t), seed, ngram });
    const lines = t.benchmark.map((item, i) => JSON.stringify({ id: `${name}-${i}`, text: item.text, label: item.member ? 'member' : 'non-member' }));
    writeFileSync(join(staging, 'benchmark.jsonl'), `${lines.join('\n')}\n`);
    const members = t.benchmark.filter((x) => x.member).length;
    return { version: CALIBRATION_VERSION, items: options.items, memberFraction: options.memberFraction, twin: !!options.twin, seed, memorisation: m, members };
  });
  const members = options.twin ? 0 : Math.round(options.items * options.memberFraction);
  return {
    dir,
    targetDir: join(dir, 'target'),
    referenceDir: join(base, 'reference'),
    benchmark: { name, task: 'custom', path: join(dir, 'benchmark.jsonl'), options: { name, template: '{text}', idField: 'id', labelField: 'label' } },
    members,
    memorisation: m,
    built: referenceBuilt || caseBuilt,
  };
}
