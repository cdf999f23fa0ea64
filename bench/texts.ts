/**
 * Realistic benchmark texts for the scoring and sampling workloads: ARC-Challenge and GSM8K items
 * exactly as contam's task adapters build them, read from ../shared/data/benchmarks when present;
 * otherwise seeded exam-like sentences from the fixture vocabulary. Nothing is copied into the repo.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadBenchmark, selectSamples } from '../src/benchmarks/load.js';
import { DEFAULT_WORDS } from '../src/onnx/fixture-tokenizer.js';
import { seededRandom } from '../src/util/random.js';
import { sharedDataDir } from './models.js';

export interface BenchTexts {
  /** Where the texts came from, for the report. */
  readonly source: string;
  readonly texts: readonly string[];
}

const SOURCES = [
  { task: 'arc', file: join('arc', 'ARC-Challenge-Test.jsonl') },
  { task: 'gsm8k', file: join('gsm8k', 'test.jsonl') },
] as const;

/** Seeded sentences of 40-110 words: the shape of a multiple-choice item or a word problem. */
export function generatedTexts(count: number, seed = 1): string[] {
  const rng = seededRandom(seed);
  const words = DEFAULT_WORDS.filter((w) => /^[a-z]+$/.test(w));
  return Array.from({ length: count }, () => {
    const length = 40 + Math.floor(rng() * 70);
    const out: string[] = [];
    for (let i = 0; i < length; i++) out.push(words[Math.floor(rng() * words.length)]);
    return `${out.join(' ')} ?`;
  });
}

/** `perTask` items from each of ARC and GSM8K (seeded hash selection), or generated texts. */
export async function benchTexts(perTask: number, seed = 2024): Promise<BenchTexts> {
  const root = join(sharedDataDir(), 'benchmarks');
  const found = SOURCES.filter((s) => existsSync(join(root, s.file)));
  if (found.length === 0) return { source: `generated (${2 * perTask} seeded texts; ${root} not found)`, texts: generatedTexts(2 * perTask) };
  const texts: string[] = [];
  const names: string[] = [];
  for (const s of found) {
    const loaded = await loadBenchmark({ task: s.task, path: join(root, s.file) });
    const chosen = selectSamples(loaded.samples, { n: found.length === 1 ? 2 * perTask : perTask, seed }).chosen;
    texts.push(...chosen.map((c) => c.text));
    names.push(`${chosen.length} ${s.task}`);
  }
  return { source: `${names.join(' + ')} items from ${root}`, texts };
}
