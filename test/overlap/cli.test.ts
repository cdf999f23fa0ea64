/** contam overlap end to end: exit codes, the clean copy, task drops and one-line errors. */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../e2e/cli.js';
import { cliFixture } from './cli-fixture.js';

const lines = (buf: Buffer) => buf.toString('utf8').split(/(?<=\n)/);

describe('contam overlap CLI', () => {
  it('exits 100 with --fail-on found, and writes a clean copy that keeps every other record byte for byte', () => {
    const { root, bench, corpus } = cliFixture();
    const out = runCli(['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--drop-tasks', 'solar-table8', '--write-clean', join(root, 'clean'), '--out-dir', join(root, 'o'), '--fail-on', 'found']);
    expect(out.code).toBe(100);
    expect(out.stdout.split('\n')[0]).toBe('gsm8k (question): 4 of 4 checkable items found, share 1.00 [0.51, 1.00]; 4 of 5 items checkable (0.80), 0 partly matched');
    expect(out.stderr).toMatch(
      /^overlap: 5 benchmark items, 33 distinct 13-grams; scanning 3 file\(s\), [\d.]+ MB on disk, (\d+ workers|in one thread)\noverlap: [\d.]+ MB scanned, 100% of [\d.]+ MB on disk · 53 records · 5 with matches · 4 items matched · [\d.]+ MB\/s · \S+\n/,
    );
    const a = lines(readFileSync(join(corpus, 'a.jsonl')));
    // Lines 5, 12 (planted), 23 and 26 (dropped tasks) go; the broken line 18 is kept as it was.
    expect(readFileSync(join(root, 'clean/a.jsonl'))).toEqual(Buffer.from(a.filter((_, i) => ![4, 11, 22, 25].includes(i)).join('')));
    const b = lines(gunzipSync(readFileSync(join(corpus, 'b.jsonl.gz'))));
    expect(gunzipSync(readFileSync(join(root, 'clean/b.jsonl.gz')))).toEqual(Buffer.from(b.filter((_, i) => ![9, 13].includes(i)).join('')));
    expect(readFileSync(join(root, 'clean/notes.txt'), 'utf8')).toBe('Notes on things.\nMore notes.\n\n\nEnd of notes.');
    const manifest = JSON.parse(readFileSync(join(root, 'clean/contam-clean-manifest.json'), 'utf8')) as { removed: { line: number; reasons: string[] }[]; summary: unknown };
    expect(manifest.removed.map((r) => [r.line, r.reasons])).toEqual([
      [5, ['overlap: gsm8k/test/0']],
      [12, ['overlap: gsm8k/test/1']],
      [23, ['task: cot_gsm8k']],
      [26, ['task: ai2_arc/ARC-Challenge:1.0.0']],
      [10, ['overlap: gsm8k/test/2']],
      [14, ['overlap: gsm8k/test/0']],
      [4, ['overlap: gsm8k/test/3']],
    ]);
    expect(manifest.summary).toEqual({ removed: 7, byReason: { overlap: 5, task: 2 } });
    const report = JSON.parse(readFileSync(join(root, 'o/overlap.json'), 'utf8'));
    expect(report.corpus.taskFilter.dropped).toEqual({
      task228_arc_answer_generation_easy: 0,
      'ai2_arc/ARC-Challenge:1.0.0': 1,
      'ai2_arc/ARC-Easy:1.0.0': 0,
      task229_arc_answer_generation_hard: 0,
      'hellaswag:1.1.0': 0,
      task1389_hellaswag_completion: 0,
      cot_gsm8k: 1,
      cot_gsm8k_ii: 0,
      'drop:2.0.0': 0,
      'winogrande:1.1.0': 0,
    });
    expect(report.corpus.badRecords).toEqual({ count: 1, first: [{ file: join(corpus, 'a.jsonl'), line: 18, reason: expect.stringMatching(/^not valid JSON/) }] });
    expect(readFileSync(join(root, 'o/overlap.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['gsm8k/test/0', 'gsm8k/test/1', 'gsm8k/test/2', 'gsm8k/test/3']);
  });

  it.skipIf(!existsSync('/dev/full'))('reports a clean copy that cannot be written (ENOSPC via /dev/full) as one line', () => {
    const { root, bench, corpus } = cliFixture();
    mkdirSync(join(root, 'clean'));
    symlinkSync('/dev/full', join(root, 'clean/a.jsonl'));
    for (const gz of [false, true]) {
      if (gz) symlinkSync('/dev/full', join(root, 'clean/b.jsonl.gz'));
      const input = gz ? join(corpus, 'b.jsonl.gz') : join(corpus, 'a.jsonl');
      const out = runCli(['overlap', '--corpus', input, '-b', `gsm8k=${bench}`, '--write-clean', join(root, 'clean'), '--out-dir', join(root, 'o')]);
      const name = gz ? 'b.jsonl.gz' : 'a.jsonl';
      expect([out.code, out.stderr.split('\n').filter((l) => l.startsWith('contam'))]).toEqual([1, [`contam: --write-clean: cannot write ${join(root, 'clean', name)} (ENOSPC: no space left on device, write)`]]);
    }
  });

  it('--fields question,answer widens the checked text and says so', () => {
    const { root, bench, corpus } = cliFixture();
    const out = runCli(['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--fields', 'question,answer', '--out-dir', join(root, 'o'), '--json']);
    expect(out.code).toBe(0);
    const r = JSON.parse(out.stdout);
    expect(r.benchmarks[0]).toMatchObject({ checked: ['question', 'answer'], items: 5, checkable: 4, found: 4 });
  });

  it('stops at the first bad record with --strict, naming file and line', () => {
    const { root, bench, corpus } = cliFixture();
    const out = runCli(['overlap', '--corpus', join(corpus, 'a.jsonl'), '-b', `gsm8k=${bench}`, '--strict', '--out-dir', join(root, 'o')]);
    expect(out.code).toBe(1);
    expect(out.stderr.split('\n').filter((l) => l.startsWith('contam:'))).toEqual([expect.stringMatching(/^contam: .*a\.jsonl line 18: not valid JSON .* \(--strict stops at the first bad record\)$/)]);
  });

  it('gives one-line errors for bad flags and inputs', () => {
    const { root, bench, corpus } = cliFixture();
    writeFileSync(join(root, 'x.parquet'), '');
    const cases: [string[], string][] = [
      [['--shard', '3/3'], 'contam: --shard 3/3: expected i/N with 0 <= i < N, e.g. 0/3'],
      [['--fields', 'question,bogus'], 'contam: --fields question,bogus: "bogus" is not a field of gsm8k; expected some of question, answer'],
      [['--ngram', '0'], 'contam: --ngram 0: expected an integer >= 1'],
      [['--fail-on', 'maybe'], 'contam: --fail-on maybe: expected found or never'],
      [['--drop-tasks', join(root, 'none.txt')], `contam: --drop-tasks ${join(root, 'none.txt')}: cannot read this file (ENOENT: no such file or directory, open '${join(root, 'none.txt')}'); expected a preset (solar-table8) or a file of task names, one per line`],
      [['--mask'], 'contam: --mask: expected --write-clean DIR beside it (masking rewrites the clean copy)'],
      [['--seed', '4'], 'contam: --seed: expected --probes K beside it (the seed only draws the probes)'],
      [['--probes', '0'], 'contam: --probes 0: expected an integer >= 1'],
      [['--workers', '0'], 'contam: --workers 0: expected an integer >= 1'],
    ];
    for (const [flags, message] of cases) {
      const out = runCli(['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--out-dir', join(root, 'o'), ...flags]);
      expect([out.code, out.stderr]).toEqual([1, `${message}\n`]);
    }
    const parquet = runCli(['overlap', '--corpus', join(root, 'x.parquet'), '-b', `gsm8k=${bench}`]);
    expect(parquet.stderr.split('\n').filter((l) => l.startsWith('contam:'))).toEqual([`contam: --corpus ${join(root, 'x.parquet')}: cannot read this file (does not start with "PAR1"); expected Parquet`]);
    writeFileSync(join(root, 'x.csv.zst'), '');
    const zst = runCli(['overlap', '--corpus', join(root, 'x.csv.zst'), '-b', `gsm8k=${bench}`]);
    expect(zst.stderr).toBe(`contam: --corpus ${join(root, 'x.csv.zst')}: a Zstandard file of an unknown format (expected .jsonl.zst or .txt.zst); expected .jsonl, .ndjson, .txt or .md (optionally .gz or .zst), .parquet, or a Hugging Face dataset folder\n`);
    writeFileSync(join(root, 'bad.jsonl.gz'), 'not gzip at all');
    const gz = runCli(['overlap', '--corpus', join(root, 'bad.jsonl.gz'), '-b', `gsm8k=${bench}`, '--out-dir', join(root, 'o')]);
    expect([gz.code, gz.stderr.split('\n').filter((l) => l.startsWith('contam:'))]).toEqual([1, [`contam: --corpus ${join(root, 'bad.jsonl.gz')}: cannot read this file (incorrect header check); expected gzip-compressed JSONL`]]);
    const missing = runCli(['overlap', '--corpus', join(root, 'nope'), '-b', `gsm8k=${bench}`]);
    expect(missing.stderr).toBe(`contam: --corpus ${join(root, 'nope')}: expected a file, folder, glob or a dataset in the Hugging Face hub cache, found nothing at this path\n`);
    const glob = runCli(['overlap', '--corpus', `${corpus}/*.jsonl`, '-b', `gsm8k=${bench}`, '--out-dir', join(root, 'g'), '--json']);
    expect(JSON.parse(glob.stdout).corpus.files.map((f: { path: string }) => f.path)).toEqual([join(corpus, 'a.jsonl')]);
  });

  it('writes the same overlap.json (apart from run), clean copy and manifest with --workers 1 and --workers 3', () => {
    const { root, bench, corpus } = cliFixture();
    const run = (workers: string) => {
      const out = runCli(['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--drop-tasks', 'solar-table8', '--workers', workers, '--write-clean', join(root, `c${workers}`), '--out-dir', join(root, `o${workers}`)]);
      expect(out.code).toBe(0);
      const json = JSON.parse(readFileSync(join(root, `o${workers}/overlap.json`), 'utf8')) as { run: { workers: number } };
      const { run: timing, ...rest } = json;
      const clean = ['a.jsonl', 'b.jsonl.gz', 'notes.txt', 'contam-clean-manifest.json'].map((f) => readFileSync(join(root, `c${workers}`, f)));
      return { workers: timing.workers, rest, clean: clean.map((b, i) => (i === 1 ? gunzipSync(b) : b).toString('base64')), jsonl: readFileSync(join(root, `o${workers}/overlap.jsonl`), 'utf8') };
    };
    const one = run('1');
    const three = run('3');
    expect([one.workers, three.workers]).toEqual([1, 3]);
    expect(three.rest).toEqual(one.rest);
    expect(three.clean).toEqual(one.clean);
    expect(three.jsonl).toBe(one.jsonl);
  });
});
