/**
 * The built-in demo's data: two trigram models and three benchmarks, built once into a cache folder.
 * The target and the reference learn from the same background text; only the target's text also holds
 * every demo-contaminated item and a known 40% of demo-partial's items, three times each (corpus.ts).
 * demo-clean is in neither. Rows carry member/non-member labels, so the audit can also report AUROC.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchmarkSpec } from '../audit/types.js';
import { fixtureVocabulary } from '../onnx/fixture-tokenizer.js';
import { buildOnce } from './build-once.js';
import { DEMO_SIZES, generateCorpus, trainingDocs, type DemoItem } from './corpus.js';
import { trainModel } from './train.js';

/**
 * Bump whenever anything that changes the demo's files changes: an old cache is then rebuilt.
 * 2: the corpus is drawn from util/random.ts (sfc32) instead of mulberry32.
 */
export const DEMO_VERSION = 2;
export const DEMO_SEED = 20240607;
export type DemoSize = keyof typeof DEMO_SIZES;

export interface PrepareDemoOptions {
  readonly cacheDir: string;
  /** 'ci' has fewer benchmark items (20 instead of 40); the models are built the same way. */
  readonly size?: DemoSize;
}

export interface PreparedDemo {
  readonly dir: string;
  readonly targetDir: string;
  readonly referenceDir: string;
  readonly benchmarks: readonly BenchmarkSpec[];
  readonly itemsPerBenchmark: number;
  readonly expected: {
    readonly contaminated: string;
    readonly clean: string;
    readonly partial: { readonly name: string; readonly fraction: number };
  };
  /** False when the cache already held this version. */
  readonly built: boolean;
}

const MARKER = 'demo-complete.json';
const NAMES = { contaminated: 'demo-contaminated', clean: 'demo-clean', partial: 'demo-partial' } as const;

function spec(dir: string, name: string): BenchmarkSpec {
  return {
    name,
    task: 'custom',
    path: join(dir, 'benchmarks', `${name}.jsonl`),
    options: { name, template: '{text}', idField: 'id', labelField: 'label' },
  };
}

function describe(dir: string, built: boolean): PreparedDemo {
  const marker = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { partialFraction: number; size: DemoSize };
  return {
    dir,
    targetDir: join(dir, 'target'),
    referenceDir: join(dir, 'reference'),
    benchmarks: [spec(dir, NAMES.contaminated), spec(dir, NAMES.clean), spec(dir, NAMES.partial)],
    itemsPerBenchmark: DEMO_SIZES[marker.size].itemsPerBenchmark,
    expected: { contaminated: NAMES.contaminated, clean: NAMES.clean, partial: { name: NAMES.partial, fraction: marker.partialFraction } },
    built,
  };
}

function writeBenchmark(dir: string, name: string, items: readonly DemoItem[]): void {
  const lines = items.map((item, i) => JSON.stringify({ id: `${name}-${i}`, text: item.text, label: item.member ? 'member' : 'non-member' }));
  writeFileSync(join(dir, 'benchmarks', `${name}.jsonl`), `${lines.join('\n')}\n`);
}

/** Everything into `dir` (a fresh folder); returns what the marker records. */
function build(dir: string, size: DemoSize): unknown {
  const corpusSize = DEMO_SIZES[size];
  const corpus = generateCorpus(corpusSize, DEMO_SEED);
  const vocabulary = fixtureVocabulary(corpus.words);
  const docs = trainingDocs(corpus, corpusSize, DEMO_SEED);
  for (const role of ['target', 'reference'] as const) trainModel({ dir: join(dir, role), role, docs: docs[role], vocabulary, seed: DEMO_SEED });
  mkdirSync(join(dir, 'benchmarks'));
  writeBenchmark(dir, NAMES.contaminated, corpus.contaminated);
  writeBenchmark(dir, NAMES.clean, corpus.clean);
  writeBenchmark(dir, NAMES.partial, corpus.partial);
  const partialFraction = corpus.partial.filter((x) => x.member).length / corpus.partial.length;
  return { version: DEMO_VERSION, size, seed: DEMO_SEED, partialFraction };
}

/**
 * Builds the demo into `<cacheDir>/demo-v<version>-<size>/` unless it is already there (build-once.ts:
 * a concurrent run never sees half a demo).
 */
export async function prepareDemo(options: PrepareDemoOptions): Promise<PreparedDemo> {
  const size = options.size ?? 'full';
  const dir = join(options.cacheDir, `demo-v${DEMO_VERSION}-${size}`);
  const built = buildOnce(dir, MARKER, (staging) => build(staging, size));
  return describe(dir, built);
}
