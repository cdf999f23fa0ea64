/**
 * The worker-thread scan equals the single-thread scan byte for byte: overlap.json's content, bad
 * records, dropped counts and the `--write-clean` copy with its manifest, on crafted corpora cut
 * into chunks far smaller than their records so records straddle every read.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CleanWriter } from '../../src/overlap/clean-writer.js';
import { commonFolder, expandCorpus } from '../../src/overlap/corpus-files.js';
import { makeFilter } from '../../src/overlap/drop-tasks.js';
import { scanCorpusParallel } from '../../src/overlap/parallel-scan.js';
import { buildIndex, buildResults } from '../../src/overlap/results.js';
import { scanCorpus, type ScanOptions, type ScanResult } from '../../src/overlap/scan.js';
import { queries } from './crafted.js';

const ITEMS = [
  'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.',
  'Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting; how much did she earn?',
  'Betty is saving money for a new wallet which costs one hundred dollars and she has only half of the money.',
  'Julie is reading a 120-page book and yesterday she was able to read twelve pages before going to sleep early.',
];

/** Records of every kind the scan tells apart, with items planted at varying places. */
function jsonlCorpus(count: number, eol: string): string {
  const rows: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const item = ITEMS[i % ITEMS.length];
    if (i % 7 === 3) rows.push(JSON.stringify({ text: `Record ${i}. ${item} ${'Filler words go here. '.repeat(i % 5)}`, _task_name: 'web' }));
    else if (i % 11 === 5) rows.push('{"text": broken json');
    else if (i % 13 === 6) rows.push(JSON.stringify({ text: `Dropped ${i}`, _task_name: 'cot_gsm8k' }));
    else if (i % 17 === 8) rows.push('   ');
    else if (i % 19 === 9) rows.push(JSON.stringify({ messages: [{ role: 'user', content: `${item.toUpperCase()} ${item}` }] }));
    else if (i % 23 === 10) rows.push(JSON.stringify({ text: `${'long '.repeat(300)}${item}` }));
    else rows.push(JSON.stringify({ text: `Ordinary record ${i} about rivers, bridges and the number ${i * 7}.` }));
  }
  return rows.join(eol);
}

function textCorpus(): string {
  const paragraphs: string[] = [];
  for (let i = 0; i < 60; i += 1) {
    const item = ITEMS[i % ITEMS.length].replace(' she ', '\nshe ');
    paragraphs.push(i % 5 === 2 ? `Paragraph ${i}.\n${item}\nthe end` : `Paragraph ${i} line one.\nline two of ${i}`);
  }
  // Several blank lines, one of spaces, and no newline at the end.
  return paragraphs.map((p, i) => (i % 2 ? `${p}\n\n\n` : `${p}\n \n`)).join('').trimEnd();
}

async function run(dir: string, parallel: boolean, extra: Partial<ScanOptions> & { clean?: boolean } = {}) {
  const benchmarks = [queries('crafted', ITEMS)];
  const index = buildIndex(benchmarks, 13);
  const { files, skipped } = expandCorpus([join(dir, 'in')]);
  const cleanDir = join(dir, parallel ? 'clean-parallel' : 'clean-single');
  const clean = extra.clean ? new CleanWriter(cleanDir, commonFolder(files.map((f) => f.path))) : undefined;
  const options: ScanOptions = { taskField: '_task_name', strict: false, taskFilter: makeFilter('solar-table8', ['cot_gsm8k', 'web']), ...extra, clean };
  const scan: ScanResult = parallel ? await scanCorpusParallel(files, index, options, 3, 97) : await scanCorpus(files, index, options);
  await clean?.close();
  const results = buildResults({
    benchmarks,
    index,
    scan: { ...scan, seconds: 0 },
    minNgrams: 1,
    corpus: { files: files.map((f) => ({ path: f.path, bytes: f.bytes })), skippedFiles: skipped, textField: 'auto' },
    taskFilter: { source: 'test', taskField: '_task_name' },
    run: { startedAt: 'test', seconds: 0, mbPerSecond: 0 },
  });
  const cleaned = clean ? Object.fromEntries(readdirSync(cleanDir).sort().map((f) => [f, readFileSync(join(cleanDir, f)).toString('base64')])) : {};
  return { json: JSON.stringify(results, null, 2), cleaned };
}

/** `root/in/` holding `files`; clean copies go beside it, outside the corpus. */
function corpusRoot(files: Readonly<Record<string, string | Buffer>>): string {
  const root = mkdtempSync(join(tmpdir(), 'contam-parallel-'));
  mkdirSync(join(root, 'in'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, 'in', name), content);
  return root;
}

const FILES = {
  'a.jsonl': `${jsonlCorpus(120, '\r\n')}\r\n`,
  'b.jsonl.gz': gzipSync(jsonlCorpus(90, '\n')),
  'c.txt': textCorpus(),
  'd.jsonl': '',
  'e.md': '\n\nJust one paragraph, then blank lines.\n\n\n',
};

describe('worker-thread scan', () => {
  it('equals the single-thread scan: results, bad records, dropped counts, clean copy and manifest', async () => {
    const root = corpusRoot(FILES);
    const single = await run(root, false, { clean: true });
    const parallel = await run(root, true, { clean: true });
    expect(JSON.parse(single.json).benchmarks[0].found).toBe(4);
    expect(parallel.json).toBe(single.json);
    expect(parallel.cleaned).toEqual(single.cleaned);
  });
});

describe('worker-thread scan, other options', () => {
  it('equals the single-thread scan under --shard, chunk by chunk', async () => {
    const root = corpusRoot(FILES);
    for (const shard of [{ index: 0, count: 3 }, { index: 2, count: 3 }]) {
      const single = await run(root, false, { shard });
      const parallel = await run(root, true, { shard });
      expect(parallel.json).toBe(single.json);
    }
  });

  it('stops at the same first bad record under --strict, with the same message', async () => {
    const root = corpusRoot(FILES);
    const single = await run(root, false, { strict: true }).catch((e: Error) => e.message);
    const parallel = await run(root, true, { strict: true }).catch((e: Error) => e.message);
    expect(single).toMatch(/a\.jsonl line 6: not valid JSON/);
    expect(parallel).toBe(single);
  });

  it('reports a corpus file it cannot read in one line naming the file', async () => {
    const root = corpusRoot({ 'bad.jsonl.gz': 'not gzip at all\n' });
    const parallel = await run(root, true).catch((e: Error) => e.message);
    expect(parallel).toMatch(/^--corpus .*bad\.jsonl\.gz: cannot read this file \(.*\); expected gzip-compressed JSONL$/);
  });
});
