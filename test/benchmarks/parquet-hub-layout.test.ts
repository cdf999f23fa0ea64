import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** A CSV as pandas' to_csv writes it for the Hub: a header row, fields quoted when they need it. */
function writeCsv(path: string, rows: Record<string, string>[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const columns = Object.keys(rows[0]);
  writeFileSync(path, [columns, ...rows.map((r) => columns.map((c) => r[c]))].map((fields) => fields.map(field).join(',')).join('\n') + '\n');
}

const gsm8kRows = [
  { question: 'Tom has 3 apples and buys 2 more. How many?', answer: 'He has 3 + 2 = 5.\n#### 5' },
  { question: 'A "big" box holds 4, a small one 1. Total?', answer: 'Together, 4 + 1 = 5.\n#### 5' },
  { question: 'What is 6 / 2?', answer: '6 / 2 = 3\n#### 3' },
];
const gsm8kColumns = { question: 'string', answer: 'string' } as const;

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

  it('JSON Lines shards in the Hub layout read exactly the rows of their Parquet twin (ARC struct, MMLU list + INT64, GSM8K)', async () => {
    const twins = [
      { task: 'arc', config: 'ARC-Challenge', columns: arcColumns, rows: arcRows },
      { task: 'mmlu', config: 'all', columns: mmluColumns, rows: mmluRows },
      { task: 'gsm8k', config: 'main', columns: gsm8kColumns, rows: gsm8kRows },
    ];
    for (const { task, config, columns, rows } of twins) {
      const parquetDir = tempDir();
      const jsonlDir = tempDir();
      writeHubParquet(join(parquetDir, config, 'test-00000-of-00002.parquet'), columns, rows.slice(0, 2));
      writeHubParquet(join(parquetDir, config, 'test-00001-of-00002.parquet'), columns, rows.slice(2));
      writeJsonl(join(jsonlDir, config, 'test-00000-of-00002.jsonl'), rows.slice(0, 2));
      writeJsonl(join(jsonlDir, config, 'test-00001-of-00002.jsonl'), rows.slice(2));
      const parquet = await loadBenchmark({ task, path: parquetDir });
      const jsonl = await loadBenchmark({ task, path: jsonlDir });
      expect(jsonl.files).toEqual([`${config}/test-00000-of-00002.jsonl`, `${config}/test-00001-of-00002.jsonl`]);
      expect({ rowsRead: jsonl.rowsRead, samples: jsonl.samples, skipped: jsonl.skipped }).toEqual({ rowsRead: 3, samples: parquet.samples, skipped: [] });
      expect(parquet.samples).toHaveLength(3);
    }
  });

  it('CSV shards in the Hub layout (a header row) read exactly the rows of their Parquet twin, MMLU included', async () => {
    const parquetDir = tempDir();
    const csvDir = tempDir();
    writeHubParquet(join(parquetDir, 'main', 'test-00000-of-00001.parquet'), gsm8kColumns, gsm8kRows);
    writeCsv(join(csvDir, 'main', 'test-00000-of-00001.csv'), gsm8kRows);
    const parquet = await loadBenchmark({ task: 'gsm8k', path: parquetDir });
    const csv = await loadBenchmark({ task: 'gsm8k', path: csvDir });
    expect(csv.files).toEqual(['main/test-00000-of-00001.csv']);
    expect({ rowsRead: csv.rowsRead, samples: csv.samples, skipped: csv.skipped }).toEqual({ rowsRead: 3, samples: parquet.samples, skipped: [] });
    // MMLU's task reads the hendrycks files without a header; a Hub CSV shard has one all the same.
    const flat = [{ question: 'What is 2 + 2?', subject: 'math', A: '3', B: '4', C: '5', D: '6', answer: 'B' }];
    const mmluFlat = { question: 'string', subject: 'string', A: 'string', B: 'string', C: 'string', D: 'string', answer: 'string' } as const;
    writeHubParquet(join(parquetDir, 'flat', 'test-00000-of-00001.parquet'), mmluFlat, flat);
    writeCsv(join(csvDir, 'flat', 'test-00000-of-00001.csv'), flat);
    const mmluParquet = await loadBenchmark({ task: 'mmlu', path: parquetDir, config: 'flat' });
    const mmluCsv = await loadBenchmark({ task: 'mmlu', path: csvDir, config: 'flat' });
    expect(mmluCsv.samples).toEqual(mmluParquet.samples);
    expect(mmluCsv.samples.map((s) => s.text)).toEqual(['What is 2 + 2? 4']);
  });

  it('a split kept as Parquet and as its JSON Lines twin is read once, from the Parquet', async () => {
    const dir = tempDir();
    writeHubParquet(join(dir, 'main', 'test-00000-of-00001.parquet'), gsm8kColumns, gsm8kRows);
    writeJsonl(join(dir, 'main', 'test-00000-of-00001.jsonl'), gsm8kRows);
    const loaded = await loadBenchmark({ task: 'gsm8k', path: dir });
    expect([loaded.files, loaded.rowsRead]).toEqual([['main/test-00000-of-00001.parquet'], 3]);
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
