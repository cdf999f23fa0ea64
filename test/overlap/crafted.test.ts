/**
 * Exact results on crafted corpora under lm-eval's convention: planted items found verbatim, with
 * casing, punctuation and line breaks changed; near-misses of N-1 words and items split across two
 * records not found; locations exact; nothing in a clean corpus.
 */
import { describe, expect, it } from 'vitest';
import { corpusDir, overlap, queries, shown } from './crafted.js';

const A = 'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.';
const B = 'Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting; how much did she earn?';
const C = 'Betty is saving money for a new wallet which costs one hundred dollars and she has only half of the money.';
const D = 'Julie is reading a 120-page book and yesterday she was able to read twelve pages before going to sleep early.';
const E = 'James writes a three page letter to two different friends twice a week so how many pages does he write a year?';
const F = 'Which gas do plants take in?';
const G = 'Albert buys two large pizzas and two small pizzas and wonders how many slices he can eat in one whole day.';

const ITEMS = [A, B, C, D, E, F, G];
const words = (s: string) => s.split(/\s+/);

/** The first 12 words of D, then a word D does not have: N-1 consecutive words shared. */
const nearMiss = `${words(D).slice(0, 12).join(' ')} banana and more words that follow here`;
/** E split in two records of 10 and 12 words: no record holds 13 of its consecutive words. */
const splitFirst = `Some text first. ${words(E).slice(0, 10).join(' ')}`;
const splitSecond = `${words(E).slice(10).join(' ')} and then something else entirely`;

const jsonl = [
  { text: 'A clean introduction that mentions no benchmark at all.' },
  { text: `Prefix words here. ${A}` },
  { text: `weng EARNS 12 an hour -- for babysitting yesterday she just did 50 minutes of BABYSITTING how much did she earn` },
  { text: C.replace(' which ', '\nwhich ').replace(' half ', '\n\nhalf ') },
  { text: nearMiss },
  { text: splitFirst },
  { text: splitSecond },
]
  .map((r) => JSON.stringify(r))
  .join('\n');

describe('contam overlap on a crafted JSONL corpus (13-grams, lm-eval rule)', () => {
  it('finds the verbatim, re-cased/re-punctuated and line-broken items, and only those', async () => {
    const dir = corpusDir({ 'corpus.jsonl': `${jsonl}\n` });
    const r = await overlap([queries('crafted', ITEMS)], [dir]);
    const b = r.benchmarks[0];
    expect({ items: b.items, checkable: b.checkable, found: b.found, partial: b.partial }).toEqual({ items: 7, checkable: 6, found: 3, partial: 0 });
    expect(b.matches.map((m) => [m.id, m.found, m.share])).toEqual([
      ['crafted/test/0', true, 1],
      ['crafted/test/1', true, 1],
      ['crafted/test/2', true, 1],
    ]);
    expect(b.share.estimate).toBe(0.5);
    expect(r.corpus).toMatchObject({ records: 7, recordsWithMatches: 3, badRecords: { count: 0, first: [] } });
  });

  it('gives each match its file, line, record and code-point offsets', async () => {
    const dir = corpusDir({ 'corpus.jsonl': `${jsonl}\n` });
    const r = await overlap([queries('crafted', ITEMS)], [dir]);
    const [a, b, c] = r.benchmarks[0].matches;
    const file = shown(dir, 'corpus.jsonl');
    expect(a.spans).toEqual([{ file, line: 2, record: 1, offset: 19, end: 19 + A.length, windows: 8 }]);
    expect(a).toMatchObject({ words: 20, ngrams: 8, windows: 8, spanCount: 1 });
    expect(a.matchedNgrams[0]).toEqual({ index: 0, text: 'natalia sold clips to 48 of her friends in april and then she' });
    const bText = jsonl.split('\n')[2];
    expect(b.spans).toEqual([{ file, line: 3, record: 2, offset: 0, end: (JSON.parse(bText) as { text: string }).text.length, windows: 8 }]);
    expect(c.spans).toEqual([{ file, line: 4, record: 3, offset: 0, end: C.length + 1, windows: 9 }]);
  });

  it('does not find a near-miss of N-1 words or an item split across two records', async () => {
    const dir = corpusDir({ 'corpus.jsonl': `${jsonl}\n` });
    const r = await overlap([queries('crafted', ITEMS)], [dir]);
    const ids = r.benchmarks[0].matches.map((m) => m.id);
    expect(ids).not.toContain('crafted/test/3');
    expect(ids).not.toContain('crafted/test/4');
    // With N = 12 the near-miss's 12 shared words are one n-gram: found, proving the N-1 case is tight.
    const r12 = await overlap([queries('crafted', ITEMS)], [dir], { n: 12 });
    expect(r12.benchmarks[0].matches.find((m) => m.id === 'crafted/test/3')).toMatchObject({ found: true, matchedNgrams: [{ index: 0 }], windows: 1 });
  });

  it('finds nothing in a clean corpus', async () => {
    const dir = corpusDir({ 'clean.jsonl': `${JSON.stringify({ text: 'Nothing here but ordinary prose about gardens and the weather in spring.' })}\n` });
    const r = await overlap([queries('crafted', ITEMS)], [dir]);
    expect(r.benchmarks[0]).toMatchObject({ found: 0, partial: 0, matches: [], share: { estimate: 0, low: 0 } });
    expect(r.corpus.recordsWithMatches).toBe(0);
  });

  it('applies --min-ngrams: one shared 13-gram is found at 1 and only partly matched at 2', async () => {
    const dir = corpusDir({ 'c.jsonl': `${JSON.stringify({ text: `start ${words(G).slice(3, 16).join(' ')} stop` })}\n` });
    const one = await overlap([queries('crafted', ITEMS)], [dir]);
    const two = await overlap([queries('crafted', ITEMS)], [dir], { minNgrams: 2 });
    expect(one.benchmarks[0]).toMatchObject({ found: 1, partial: 0 });
    expect(two.benchmarks[0]).toMatchObject({ found: 0, partial: 1, matches: [{ id: 'crafted/test/6', found: false, matchedNgrams: [{ index: 3 }] }] });
    expect(two.benchmarks[0].matches[0].share).toBe(1 / 9);
  });
});

describe('contam overlap on text files', () => {
  it('reads a paragraph as one record, so an item broken over lines is found at its line', async () => {
    const text = `First paragraph line.\nSecond line of it.\n\nIntro sentence then\n${A.slice(0, 39)}\n${A.slice(40)}\n\nAnother paragraph.\n`;
    const dir = corpusDir({ 'notes.txt': text });
    const r = await overlap([queries('crafted', ITEMS)], [dir]);
    expect(r.benchmarks[0].matches.map((m) => [m.id, m.spans])).toEqual([
      ['crafted/test/0', [{ file: shown(dir, 'notes.txt'), line: 5, record: 1, offset: 20, end: 20 + A.length, windows: 8 }]],
    ]);
    expect(r.corpus.records).toBe(3);
  });

  it('does not join paragraphs: an item cut by a blank line is not found', async () => {
    const dir = corpusDir({ 'notes.txt': `${words(A).slice(0, 10).join(' ')}\n\n${words(A).slice(10).join(' ')}\n` });
    const r = await overlap([queries('crafted', ITEMS)], [dir]);
    expect(r.benchmarks[0].matches).toEqual([]);
  });
});
