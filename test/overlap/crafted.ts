/** Builds overlap results in-process from crafted benchmark items and corpus files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expandCorpus } from '../../src/overlap/corpus-files.js';
import type { BenchmarkQueries } from '../../src/overlap/queries.js';
import { buildIndex, buildResults } from '../../src/overlap/results.js';
import { scanCorpus, type ScanOptions } from '../../src/overlap/scan.js';
import type { OverlapResults } from '../../src/overlap/types.js';

export function queries(benchmark: string, texts: readonly string[]): BenchmarkQueries {
  return {
    benchmark,
    task: 'custom',
    split: 'test',
    files: ['crafted'],
    fields: ['question'],
    rowsRead: texts.length,
    rows: texts.map((text, rowIndex) => ({ rowIndex, text })),
    skipped: [],
  };
}

/** A temp folder holding `files` (name -> content); returns paths relative to the working folder. */
export function corpusDir(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'contam-overlap-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export function shown(dir: string, name: string): string {
  const rel = relative(process.cwd(), join(dir, name));
  return rel.startsWith('..') ? join(dir, name) : rel;
}

export async function overlap(
  benchmarks: readonly BenchmarkQueries[],
  corpus: readonly string[],
  options: Partial<ScanOptions> & { n?: number; minNgrams?: number } = {},
): Promise<OverlapResults> {
  const n = options.n ?? 13;
  const index = buildIndex(benchmarks, n);
  const { files, skipped } = expandCorpus(corpus);
  const scan = await scanCorpus(files, index, { taskField: '_task_name', strict: false, ...options });
  return buildResults({
    benchmarks,
    index,
    scan,
    minNgrams: options.minNgrams ?? 1,
    corpus: { files: files.map((f) => ({ path: f.path, bytes: f.bytes })), skippedFiles: skipped, textField: options.textField ?? 'auto' },
    run: { startedAt: 'test', seconds: 0, mbPerSecond: 0 },
  });
}
