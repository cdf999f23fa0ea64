import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/errors.js';
import { loadBenchmark } from '../../src/benchmarks/load.js';
import { writeHubParquet } from './hub-parquet.js';

const arcRows = [
  { id: 'Q1', question: 'Which gas do plants take in?', choices: { text: ['oxygen', 'carbon dioxide', 'helium', 'neon'], label: ['A', 'B', 'C', 'D'] }, answerKey: 'B' },
  { id: 'Q2', question: 'What melts ice fastest?', choices: { text: ['salt', 'sand', 'sawdust'], label: ['1', '2', '3'] }, answerKey: '1' },
  { id: 'Q3', question: 'Which is a mammal?', choices: { text: ['shark', 'whale', 'trout', 'eel', 'cod'], label: ['A', 'B', 'C', 'D', 'E'] }, answerKey: 'B' },
];
const mmluRows = [
  { question: 'What is 2 + 2?', subject: 'elementary_mathematics', choices: ['3', '4', '5', '6'], answer: 1 },
  { question: 'Capital of France?', subject: 'geography', choices: ['Paris', 'Rome', 'Lyon', 'Nice'], answer: 0 },
  { question: 'H2O is', subject: 'chemistry', choices: ['salt', 'acid', 'base', 'water'], answer: 3 },
];
const arcColumns = { id: 'string', question: 'string', choices: { struct: { text: 'string-list', label: 'string-list' } }, answerKey: 'string' } as const;
const mmluColumns = { question: 'string', subject: 'string', choices: 'string-list', answer: 'int64' } as const;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'contam-parquet-'));
}

function writeJsonl(path: string, rows: object[]): void {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

const savedCache = process.env.HF_HUB_CACHE;
afterEach(() => {
  if (savedCache === undefined) delete process.env.HF_HUB_CACHE;
  else process.env.HF_HUB_CACHE = savedCache;
});

describe('Parquet in the Hugging Face Hub layout', () => {
  it('ARC: <config>/<split>-0000N-of-00002.parquet with a choices {text[], label[]} struct reads like the JSONL', async () => {
    const dir = tempDir();
    writeHubParquet(join(dir, 'ARC-Challenge', 'test-00000-of-00002.parquet'), arcColumns, arcRows.slice(0, 2));
    writeHubParquet(join(dir, 'ARC-Challenge', 'test-00001-of-00002.parquet'), arcColumns, arcRows.slice(2));
    writeHubParquet(join(dir, 'ARC-Easy', 'test-00000-of-00001.parquet'), arcColumns, arcRows.slice(0, 1));
    writeJsonl(join(dir, 'arc.jsonl'), arcRows);
    const parquet = await loadBenchmark({ task: 'arc', path: dir });
    const jsonl = await loadBenchmark({ task: 'arc', path: join(dir, 'arc.jsonl') });
    expect(parquet.files).toEqual(['ARC-Challenge/test-00000-of-00002.parquet', 'ARC-Challenge/test-00001-of-00002.parquet']);
    expect(parquet.samples).toEqual(jsonl.samples);
    expect(parquet.samples.map((s) => s.text)).toEqual([
      'Which gas do plants take in? carbon dioxide',
      'What melts ice fastest? salt',
      'Which is a mammal? whale',
    ]);
    const easy = await loadBenchmark({ task: 'arc', path: dir, config: 'ARC-Easy' });
    expect(easy.rowsRead).toBe(1);
  });

  it('MMLU: all/test-00000-of-00001.parquet with a choices list and an INT64 answer reads like the JSONL', async () => {
    const dir = tempDir();
    writeHubParquet(join(dir, 'all', 'test-00000-of-00001.parquet'), mmluColumns, mmluRows);
    writeJsonl(join(dir, 'mmlu.jsonl'), mmluRows);
    const parquet = await loadBenchmark({ task: 'mmlu', path: dir });
    const jsonl = await loadBenchmark({ task: 'mmlu', path: join(dir, 'mmlu.jsonl') });
    expect(parquet.samples).toEqual(jsonl.samples);
    expect(parquet.samples.map((s) => s.text)).toEqual(['What is 2 + 2? 4', 'Capital of France? Paris', 'H2O is water']);
  });

  it('a hub id resolves through $HF_HUB_CACHE to datasets--org--name/snapshots/<refs/main>', async () => {
    const cache = tempDir();
    const repo = join(cache, 'datasets--allenai--ai2_arc');
    writeHubParquet(join(repo, 'snapshots', 'abc123', 'ARC-Challenge', 'test-00000-of-00001.parquet'), arcColumns, arcRows);
    mkdirSync(join(repo, 'refs'), { recursive: true });
    writeFileSync(join(repo, 'refs', 'main'), 'abc123');
    process.env.HF_HUB_CACHE = cache;
    const loaded = await loadBenchmark({ task: 'arc', path: 'allenai/ai2_arc' });
    expect(loaded.samples.map((s) => s.id)).toEqual(['arc/test/0', 'arc/test/1', 'arc/test/2']);
  });

  it('a missing split or config is a FatalError listing the valid choices', async () => {
    const dir = tempDir();
    writeHubParquet(join(dir, 'ARC-Challenge', 'test-00000-of-00001.parquet'), arcColumns, arcRows);
    writeHubParquet(join(dir, 'ARC-Challenge', 'validation-00000-of-00001.parquet'), arcColumns, arcRows);
    await expect(loadBenchmark({ task: 'arc', path: dir, split: 'train' })).rejects.toThrow(
      new FatalError(`${dir}: split "train" not found in config "ARC-Challenge"; valid choices: test, validation`),
    );
    await expect(loadBenchmark({ task: 'arc', path: dir, config: 'ARC-Easy' })).rejects.toThrow(
      new FatalError(`${dir}: config "ARC-Easy" not found; valid choices: ARC-Challenge`),
    );
  });
});
