/** The pieces of contam overlap: lm-eval's normalisation, the verified index, record text, Table 8. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTaskFilter, makeFilter, SOLAR_TABLE8, spellings } from '../../src/overlap/drop-tasks.js';
import { globToRegExp } from '../../src/overlap/corpus-files.js';
import { NgramIndex } from '../../src/overlap/ngram-index.js';
import { normalise, words } from '../../src/overlap/normalise.js';
import { recordText } from '../../src/overlap/record-text.js';
import { seededRandom } from '../../src/util/random.js';
import { python, sourceNote } from '../stats/python.js';

describe('lm-eval normalisation (janitor.py normalize_string + split)', () => {
  it('matches Python on ASCII case, punctuation-only words, non-ASCII letters and Unicode spaces', () => {
    // python3: s.translate(str.maketrans(ascii_lowercase + ascii_uppercase, ascii_lowercase * 2, string.punctuation)).split()
    const s = "  Héllo, WORLD!! -- it's  $5.00\n(ÀB) x_y \u00a0z\u2003end.";
    expect(words(s).map((w) => w.word)).toEqual(['héllo', 'world', 'its', '500', 'Àb', 'xy', 'z', 'end']);
  });

  const alphabet = ['a', 'B', 'z', 'Q', '7', "'", '-', '.', ',', '$', '_', '\\', '`', '~', 'é', 'À', 'ß', '😀', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\u001c', '\u0085', '\u200b'];
  const random = seededRandom(18);
  const texts = Array.from({ length: 300 }, () => Array.from({ length: 1 + Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  const live = python<string[][]>(
    'import json,string,sys\nt=str.maketrans(string.ascii_lowercase+string.ascii_uppercase,string.ascii_lowercase*2,string.punctuation)\nprint(json.dumps([s.translate(t).split() for s in json.load(sys.stdin)]))',
    texts,
  );
  it.skipIf(live === null)(`agrees with Python's janitor normalisation on 300 random strings${sourceNote(live)}`, () => {
    expect(texts.map((t) => words(t).map((w) => w.word))).toEqual(live);
  });

  it('keeps code-point offsets and line numbers of the raw words', () => {
    expect(words('a 😀b\nc')).toEqual([
      { word: 'a', offset: 0, end: 1, lineDelta: 0 },
      { word: '😀b', offset: 2, end: 4, lineDelta: 0 },
      { word: 'c', offset: 5, end: 6, lineDelta: 1 },
    ]);
    expect(normalise('  ')).toBe('');
  });
});

describe('NgramIndex', () => {
  const item = { benchmark: 'b', id: 'b/test/0', rowIndex: 0, text: 'one two three four' };

  it('has no n-gram for an item shorter than N words', () => {
    const index = new NgramIndex(5);
    expect(index.add(item, words(item.text))).toMatchObject({ wordCount: 4, ngrams: [] });
    expect(index.size).toBe(0);
  });

  it('counts a hash hit only when the n-gram text matches (every key forced to collide)', () => {
    const index = new NgramIndex(2, () => [7, 7]);
    index.add(item, words(item.text));
    index.add({ ...item, id: 'b/test/1', rowIndex: 1, text: 'two three five' }, words('two three five'));
    const hits: [number, string, number[]][] = [];
    index.probe(words('zero one two nine two three'), (postings, at, text) => hits.push([at, text, postings.map((p) => p.item)]));
    expect(hits).toEqual([
      [1, 'one two', [0]],
      [4, 'two three', [0, 1]],
    ]);
    expect(index.size).toBe(4);
  });
});

describe('record text', () => {
  it('joins chat turns, preference triplets and reads dotted fields', () => {
    expect(recordText({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }, undefined)).toEqual({ text: 'q\na' });
    expect(recordText({ conversations: [{ from: 'human', value: 'q' }] }, undefined)).toEqual({ text: 'q' });
    expect(recordText({ prompt: 'p', chosen: 'c', rejected: 'r' }, undefined)).toEqual({ text: 'p\nc\nr' });
    expect(recordText({ data: { body: 'x' } }, 'data.body')).toEqual({ text: 'x' });
    expect(recordText({ pair: { prompt: 'p', chosen: [{ content: 'c' }] } }, 'pair')).toEqual({ text: 'p\nc' });
  });

  it('says what is wrong with a record it cannot read', () => {
    expect(recordText({ data: { body: 3 } }, 'data.body')).toEqual({ problem: 'field "data.body": expected a string, a messages array or {prompt, chosen, rejected}, found number 3' });
    expect(recordText([1], undefined)).toEqual({ problem: 'expected a JSON object, found an array of 1' });
    expect(recordText({ id: 1 }, undefined)).toMatchObject({ problem: expect.stringMatching(/^no text field .*found keys id\); pass --text-field$/) });
  });
});

describe('SOLAR Table 8 task filter', () => {
  it('matches FLAN spelling and the paper excerpt spelling, counting under FLAN spelling', () => {
    const filter = makeFilter('solar-table8', SOLAR_TABLE8);
    expect(spellings('ai2_arc/ARC-Challenge:1.0.0')).toEqual(['ai2_arc/ARC-Challenge:1.0.0', 'ai2_arcARCChallenge:1.0.0']);
    expect(['ai2_arcARCChallenge:1.0.0', 'ai2_arc/ARC-Challenge:1.0.0', 'cot_gsm8k', 'cot_gsm8k_ii', 'gsm8k', 'ai2_arc/ARC-Easy:1.0.0'].map((t) => filter.match(t))).toEqual([
      'ai2_arc/ARC-Challenge:1.0.0',
      'ai2_arc/ARC-Challenge:1.0.0',
      'cot_gsm8k',
      'cot_gsm8k_ii',
      undefined,
      'ai2_arc/ARC-Easy:1.0.0',
    ]);
    expect(SOLAR_TABLE8).toHaveLength(10);
  });

  it('reads a file of names, one per line, with comments and blank lines ignored', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'contam-tasks-')), 'tasks.txt');
    writeFileSync(path, '# mine\nmy_task:1.0.0\n\n  other/Task-x  # trailing note\nmy_task:1.0.0\n');
    const filter = loadTaskFilter(path);
    expect([filter.source, filter.names, filter.match('otherTaskx'), filter.match('my_task:1.0.0'), filter.match('x')]).toEqual([path, ['my_task:1.0.0', 'other/Task-x'], 'other/Task-x', 'my_task:1.0.0', undefined]);
    writeFileSync(path, '# nothing\n');
    expect(() => loadTaskFilter(path)).toThrow(`--drop-tasks ${path}: expected task names, one per line, found none`);
  });
});

describe('corpus globs', () => {
  it('matches ** across folders and * within one', () => {
    const re = globToRegExp('**/*.jsonl.gz');
    expect(['a.jsonl.gz', 'x/y/a.jsonl.gz', 'x/a.jsonl', 'x/a.jsonl.gz.tmp'].map((p) => re.test(p))).toEqual([true, true, false, false]);
  });
});
