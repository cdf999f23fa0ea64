/** Corpus inputs beyond JSONL and text: Zstandard, Parquet (row groups), Hugging Face dataset folders and the hub cache. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.js';
import { runCli } from '../e2e/cli.js';
import { QUESTIONS } from './cli-fixture.js';

const hasZstd = spawnSync('zstd', ['--version']).status === 0;

interface Span { file: string; line: number; record: number; offset: number; end: number }
interface Overlap { corpus: { files: { path: string }[]; skippedFiles: { path: string; reason: string }[]; records: number }; benchmarks: { found: number; matches: { id: string; spans: Span[] }[] }[] }

function setup(): { root: string; bench: string } {
  const root = mkdtempSync(join(tmpdir(), 'contam-overlap-inputs-'));
  const bench = join(root, 'bench.jsonl');
  writeFileSync(bench, QUESTIONS.map((question, i) => JSON.stringify({ question, answer: `#### ${i}` })).join('\n') + '\n');
  return { root, bench };
}

/** Ten rows of prose in row groups of four, with QUESTIONS[0] planted in row 5 and an id column. */
function writeCorpusParquet(path: string): string[] {
  const texts = Array.from({ length: 10 }, (_, i) => `Row ${i} says something ordinary about gardens.`);
  texts[5] = `Before. ${QUESTIONS[0]} After.`;
  parquetWriteFile({ filename: path, columnData: [{ name: 'text', data: texts, type: 'STRING' }, { name: 'id', data: texts.map((_, i) => i), type: 'INT32' }], rowGroupSize: 4 });
  return texts;
}

function scan(args: string[], out: string, env?: Record<string, string>): Overlap {
  const r = runCli(['overlap', ...args, '--out-dir', out], env ? { env } : {});
  expect(r.stderr).not.toMatch(/internal error|^contam:/m);
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(join(out, 'overlap.json'), 'utf8')) as Overlap;
}

describe('contam overlap inputs', () => {
  it('reads a Hugging Face dataset folder: Parquet rows by row group (location = row) and JSONL shards, not its README card', () => {
    const { root, bench } = setup();
    const ds = join(root, 'ds');
    mkdirSync(join(ds, 'data'), { recursive: true });
    writeFileSync(join(ds, 'README.md'), `---\nlicense: mit\n---\n# A corpus\n\n${QUESTIONS[2]}\n`);
    const texts = writeCorpusParquet(join(ds, 'data/train-00000-of-00002.parquet'));
    const jsonl = ['{"text": "one"}', `{"text": ${JSON.stringify(`x ${QUESTIONS[1]}`)}}`, '{"text": "three"}'];
    writeFileSync(join(ds, 'data/train-00001-of-00002.jsonl'), `${jsonl.join('\n')}\n`);
    const r = scan(['--corpus', ds, '-b', `gsm8k=${bench}`, '--write-clean', join(root, 'clean')], join(root, 'o'));
    expect(r.corpus.files.map((f) => f.path)).toEqual([join(ds, 'data/train-00000-of-00002.parquet'), join(ds, 'data/train-00001-of-00002.jsonl')]);
    expect(r.corpus.skippedFiles).toEqual([{ path: join(ds, 'README.md'), reason: 'not a data file of a Hugging Face dataset folder' }]);
    expect(r.corpus.records).toBe(13);
    const spans = r.benchmarks[0].matches.map((m) => [m.id, m.spans.map(({ file, line, record, offset, end }) => ({ file, line, record, offset, end }))]);
    expect(spans).toEqual([
      ['gsm8k/test/0', [{ file: join(ds, 'data/train-00000-of-00002.parquet'), line: 6, record: 5, offset: 8, end: 8 + QUESTIONS[0].length }]],
      ['gsm8k/test/1', [{ file: join(ds, 'data/train-00001-of-00002.jsonl'), line: 2, record: 1, offset: 2, end: 2 + QUESTIONS[1].length }]],
    ]);
    expect(readFileSync(join(root, 'o/overlap.md'), 'utf8')).toContain(`train-00000-of-00002.parquet row 5, offset 8 |`);
    // No Parquet writer ships with contam: the clean copy of a Parquet file is JSONL, one object per row.
    const clean = readFileSync(join(root, 'clean/train-00000-of-00002.jsonl'), 'utf8');
    expect(clean).toBe(texts.flatMap((text, id) => (id === 5 ? [] : [`${JSON.stringify({ text, id })}\n`])).join(''));
  });

  it('masks a Parquet row and a dotted --text-field record, writing them as JSON lines', () => {
    const { root, bench } = setup();
    mkdirSync(join(root, 'c'));
    const texts = writeCorpusParquet(join(root, 'c/rows.parquet'));
    writeFileSync(join(root, 'c/nested.jsonl'), `${JSON.stringify({ doc: { body: `Q. ${QUESTIONS[2]}` }, id: 1 })}\n`);
    const out = runCli(['overlap', '--corpus', join(root, 'c'), '-b', `gsm8k=${bench}`, '--text-field', 'doc.body', '--write-clean', join(root, 'clean'), '--mask', '--out-dir', join(root, 'o')]);
    expect(out.code).toBe(0);
    const stars = (t: string) => t.replace(/\S/g, '*');
    // Rows of the Parquet file have no doc.body: they are bad records, kept as they are (as JSON lines).
    expect(readFileSync(join(root, 'clean/rows.jsonl'), 'utf8')).toBe(texts.map((text, id) => `${JSON.stringify({ text, id })}\n`).join(''));
    expect(readFileSync(join(root, 'clean/nested.jsonl'), 'utf8')).toBe(`${JSON.stringify({ doc: { body: `Q. ${stars(QUESTIONS[2])}` }, id: 1 })}\n`);
    const again = runCli(['overlap', '--corpus', join(root, 'c/rows.parquet'), '-b', `gsm8k=${bench}`, '--write-clean', join(root, 'clean2'), '--mask', '--out-dir', join(root, 'o2')]);
    expect(again.code).toBe(0);
    const masked = texts.map((text, id) => `${JSON.stringify({ text: id === 5 ? `Before. ${stars(QUESTIONS[0])} After.` : text, id })}\n`);
    expect(readFileSync(join(root, 'clean2/rows.jsonl'), 'utf8')).toBe(masked.join(''));
  });

  it('reads a hub-cache dataset by id or by its repo folder, at the snapshot refs/main names, through blob symlinks', () => {
    const { root, bench } = setup();
    const repo = join(root, 'hub/datasets--org--corp');
    mkdirSync(join(repo, 'blobs'), { recursive: true });
    mkdirSync(join(repo, 'refs'));
    mkdirSync(join(repo, 'snapshots/abc123/data'), { recursive: true });
    mkdirSync(join(repo, 'snapshots/old999/data'), { recursive: true });
    writeFileSync(join(repo, 'refs/main'), 'abc123\n');
    writeCorpusParquet(join(repo, 'blobs/9f8e7d'));
    symlinkSync(join(repo, 'blobs/9f8e7d'), join(repo, 'snapshots/abc123/data/train-00000-of-00001.parquet'));
    writeFileSync(join(repo, 'snapshots/old999/data/train-00000-of-00001.jsonl'), '{"text": "old"}\n');
    const byId = scan(['--corpus', 'org/corp', '-b', `gsm8k=${bench}`], join(root, 'o1'), { HF_HUB_CACHE: join(root, 'hub') });
    const byFolder = scan(['--corpus', repo, '-b', `gsm8k=${bench}`], join(root, 'o2'));
    for (const r of [byId, byFolder]) {
      expect(r.corpus.files.map((f) => f.path)).toEqual([join(repo, 'snapshots/abc123/data/train-00000-of-00001.parquet')]);
      expect(r.benchmarks[0].matches.map((m) => [m.id, m.spans[0].record])).toEqual([['gsm8k/test/0', 5]]);
    }
  });

  it.skipIf(!hasZstd)('streams .jsonl.zst across many chunks with exact lines, and writes its clean copy as plain JSONL (needs the zstd CLI)', () => {
    const { root, bench } = setup();
    // Random digits compress poorly: the .zst spans many read chunks. Two frames, as `cat a.zst b.zst` makes.
    const random = seededRandom(7);
    const records = Array.from({ length: 6000 }, (_, i) => JSON.stringify({ text: `Record ${i}: ${Array.from({ length: 8 }, () => random().toFixed(6)).join(' ')}` }));
    records[4321] = JSON.stringify({ text: `Planted: ${QUESTIONS[3]}` });
    writeFileSync(join(root, 'part1.jsonl'), `${records.slice(0, 3000).join('\n')}\n`);
    writeFileSync(join(root, 'part2.jsonl'), `${records.slice(3000).join('\n')}\n`);
    const frames = ['part1', 'part2'].map((p) => execFileSync('zstd', ['-q', '-c', join(root, `${p}.jsonl`)]));
    writeFileSync(join(root, 'corpus.jsonl.zst'), Buffer.concat(frames));
    expect(statSync(join(root, 'corpus.jsonl.zst')).size).toBeGreaterThan(3 * 65536);
    const r = scan(['--corpus', join(root, 'corpus.jsonl.zst'), '-b', `gsm8k=${bench}`, '--write-clean', join(root, 'clean')], join(root, 'o'));
    expect(r.corpus.records).toBe(6000);
    expect(r.benchmarks[0].matches.map((m) => [m.id, m.spans.map((s) => [s.line, s.record, s.offset, s.end])])).toEqual([['gsm8k/test/3', [[4322, 4321, 9, 9 + QUESTIONS[3].length]]]]);
    expect(readFileSync(join(root, 'clean/corpus.jsonl'), 'utf8')).toBe(records.filter((_, i) => i !== 4321).map((l) => `${l}\n`).join(''));
  });

  it('names a corrupt .zst file in one line', () => {
    const { root, bench } = setup();
    writeFileSync(join(root, 'bad.jsonl.zst'), 'not zstandard at all');
    const r = runCli(['overlap', '--corpus', join(root, 'bad.jsonl.zst'), '-b', `gsm8k=${bench}`, '--out-dir', join(root, 'o')]);
    expect([r.code, r.stderr.split('\n').filter((l) => l.startsWith('contam:'))]).toEqual([1, [`contam: --corpus ${join(root, 'bad.jsonl.zst')}: cannot read this file (invalid zstd data); expected Zstandard-compressed JSONL`]]);
  });
});
