/** --mask and --write-clean with --shard: masked text byte for byte, the manifest, and shard slices that add up. */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { maskRanges, maskText } from '../../src/overlap/mask.js';
import { words } from '../../src/overlap/normalise.js';
import { runCli } from '../e2e/cli.js';
import { QUESTIONS, cliFixture } from './cli-fixture.js';

const lines = (buf: Buffer) => buf.toString('utf8').split(/(?<=\n)/);
const stars = (s: string) => s.replace(/\S/gu, '*');

describe('mask ranges', () => {
  it('masks the union of matched windows, non-space characters only, in code points', () => {
    const text = 'a 😀b c\nd e f';
    const ws = words(text);
    // Windows of 2 words at 1 and 2 overlap (😀b c d); window 4 (e f) stands alone.
    const ranges = maskRanges(ws, [2, 1, 4, 1], 2);
    expect(ranges).toEqual([{ offset: 2, end: 8 }, { offset: 9, end: 12 }]);
    // The emoji is one code point: '😀b' becomes two masks.
    expect(maskText(text, ranges)).toBe('a ** *\n* * *');
    expect(maskText('xy z', [{ offset: 5, end: 7 }], 4)).toBe('x* z');
  });
});

describe('contam overlap --write-clean --mask', () => {
  it('writes matched records with their spans masked, removes dropped tasks, and lists both in the manifest', () => {
    const { root, bench, corpus } = cliFixture();
    const out = runCli(['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--drop-tasks', 'solar-table8', '--write-clean', join(root, 'clean'), '--mask', '--out-dir', join(root, 'o')]);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`overlap: clean copy in ${join(root, 'clean')}: 2 records removed, 5 masked (manifest contam-clean-manifest.json)`);
    const a = lines(readFileSync(join(corpus, 'a.jsonl')));
    const want = [...a];
    want[4] = `${JSON.stringify({ text: `Intro. ${stars(QUESTIONS[0])} Outro.`, _task_name: 'web' })}\r\n`;
    want[11] = `${JSON.stringify({ messages: [{ role: 'user', content: stars(QUESTIONS[1]) }, { role: 'assistant', content: 'About ten dollars.' }] })}\r\n`;
    expect(readFileSync(join(root, 'clean/a.jsonl'), 'utf8')).toBe(want.filter((_, i) => i !== 22 && i !== 25).join(''));
    const b = lines(gunzipSync(readFileSync(join(corpus, 'b.jsonl.gz'))));
    b[9] = `${JSON.stringify({ prompt: `Solve: ${stars(QUESTIONS[2])}`, chosen: '50', rejected: '20' })}\n`;
    b[13] = `${JSON.stringify({ prompt: `Also: ${stars(QUESTIONS[0])}`, chosen: 'x', rejected: 'y' })}\n`;
    expect(gunzipSync(readFileSync(join(root, 'clean/b.jsonl.gz'))).toString('utf8')).toBe(b.join(''));
    const q3 = QUESTIONS[3].replace(' yesterday ', '\nyesterday ');
    expect(readFileSync(join(root, 'clean/notes.txt'), 'utf8')).toBe(`Notes on things.\nMore notes.\n\n${stars(q3)}\n\nEnd of notes.`);
    const manifest = JSON.parse(readFileSync(join(root, 'clean/contam-clean-manifest.json'), 'utf8'));
    expect(manifest.removed.map((r: { line: number; reasons: string[] }) => [r.line, r.reasons])).toEqual([[23, ['task: cot_gsm8k']], [26, ['task: ai2_arc/ARC-Challenge:1.0.0']]]);
    const rel = (f: string) => join(corpus, f).replace(`${process.cwd()}/`, '');
    expect(manifest.masked.map((m: Record<string, unknown>) => ({ ...m, file: m.file === rel('a.jsonl') ? 'a' : m.file === rel('b.jsonl.gz') ? 'b' : 'notes' }))).toEqual([
      { file: 'a', line: 5, record: 4, items: ['gsm8k/test/0'], masked: [{ offset: 7, end: 7 + QUESTIONS[0].length }] },
      { file: 'a', line: 12, record: 11, items: ['gsm8k/test/1'], masked: [{ offset: 0, end: QUESTIONS[1].length }] },
      { file: 'b', line: 10, record: 9, items: ['gsm8k/test/2'], masked: [{ offset: 7, end: 7 + QUESTIONS[2].length }] },
      { file: 'b', line: 14, record: 13, items: ['gsm8k/test/0'], masked: [{ offset: 6, end: 6 + QUESTIONS[0].length }] },
      { file: 'notes', line: 4, record: 1, items: ['gsm8k/test/3'], masked: [{ offset: 0, end: q3.length }] },
    ]);
    expect(manifest.summary).toEqual({ removed: 2, masked: 5, byReason: { overlap: 0, task: 2 } });
    // The masked copy is clean under the same rule: a rescan finds nothing.
    const again = runCli(['overlap', '--corpus', join(root, 'clean'), '-b', `gsm8k=${bench}`, '--out-dir', join(root, 'o2')]);
    expect(again.stdout.split('\n')[0]).toBe('gsm8k (question): 0 of 4 checkable items found, share 0.00 [0.00, 0.49]; 4 of 5 items checkable (0.80), 0 partly matched');
  });

  it('with --shard each shard writes its own records; the shards concatenated hold exactly the unsharded clean copy', () => {
    const { root, bench, corpus } = cliFixture();
    // A last line without its newline must not run into the next shard's first line.
    writeFileSync(join(corpus, 'c.jsonl'), '{"text": "c one"}\n{"text": "c two"}\n{"text": "c three"}');
    const common = ['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--drop-tasks', 'solar-table8', '--write-clean', join(root, 'clean')];
    expect(runCli([...common.slice(0, -1), join(root, 'whole'), '--out-dir', join(root, 'o')]).code).toBe(0);
    for (let i = 0; i < 3; i += 1) expect(runCli([...common, '--shard', `${i}/3`, '--out-dir', join(root, `s${i}`)]).code).toBe(0);
    expect(readdirSync(join(root, 'clean')).sort()).toEqual(['shard-0-of-3', 'shard-1-of-3', 'shard-2-of-3']);
    const shards = [0, 1, 2].map((i) => join(root, `clean/shard-${i}-of-3`));
    const records = (text: string, sep: RegExp) => text.split(sep).map((r) => r.trim()).filter((r) => r !== '').sort();
    const cat = (f: string, read: (p: string) => string) => shards.map((s) => read(join(s, f))).join('');
    const plain = (p: string) => readFileSync(p, 'utf8');
    const gz = (p: string) => gunzipSync(readFileSync(p)).toString('utf8');
    expect(records(cat('a.jsonl', plain), /(?<=\n)/)).toEqual(records(plain(join(root, 'whole/a.jsonl')), /(?<=\n)/));
    expect(records(cat('b.jsonl.gz', gz), /(?<=\n)/)).toEqual(records(gz(join(root, 'whole/b.jsonl.gz')), /(?<=\n)/));
    expect(records(cat('c.jsonl', plain), /\n/)).toEqual(['{"text": "c one"}', '{"text": "c three"}', '{"text": "c two"}']);
    // A shard's text paragraphs end with a blank line, so they stay apart when concatenated.
    expect(records(cat('notes.txt', plain), /\n\n+/)).toEqual(records(plain(join(root, 'whole/notes.txt')), /\n\n+/));
    // Records are numbered across files: notes.txt's first paragraph is record 50, shard 2's.
    expect(plain(join(shards[2], 'notes.txt'))).toBe('Notes on things.\nMore notes.\n\n');
    const removed = (dir: string) => (JSON.parse(plain(join(dir, 'contam-clean-manifest.json'))).removed as { line: number }[]).map((r) => JSON.stringify(r));
    expect(shards.flatMap(removed).sort()).toEqual(removed(join(root, 'whole')).sort());
  });
});
