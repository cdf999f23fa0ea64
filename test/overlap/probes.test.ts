/** --probes K: GPT-4-style 50-character substring probes, beside the n-gram rule. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOverlap, withDataOverlap } from '../../src/audit/data-overlap.js';
import { ProbeTable, drawProbes, probeNormalise } from '../../src/overlap/probes.js';
import { runCli } from '../e2e/cli.js';
import { fixtureResults } from '../report/fixture-results.js';
import { QUESTIONS, cliFixture } from './cli-fixture.js';

describe('substring probes', () => {
  it('normalise to letters and numbers with case kept, and draw seeded spans of 50 (the whole text when shorter)', () => {
    expect(probeNormalise('Héllo, World!\n 42 — x_y')).toBe('HélloWorld42xy');
    expect(probeNormalise(QUESTIONS[0])).toBe('Nataliasoldclipsto48ofherfriendsinAprilandthenshesoldhalfasmanyclipsinMay');
    expect(drawProbes(QUESTIONS[0], 3, 0, 'gsm8k/test/0')).toEqual([
      'ataliasoldclipsto48ofherfriendsinAprilandthenshesoldhalf'.slice(0, 50),
      'soldclipsto48ofherfriendsinAprilandthenshesoldhalf',
      'fherfriendsinAprilandthenshesoldhalfasmanyclipsinM',
    ]);
    expect(drawProbes(QUESTIONS[0], 3, 1, 'gsm8k/test/0')).not.toEqual(drawProbes(QUESTIONS[0], 3, 0, 'gsm8k/test/0'));
    expect(drawProbes(QUESTIONS[4], 3, 0, 'x')).toEqual(['Whichgasdoplantstakein']);
    expect(drawProbes('?! ...', 3, 0, 'x')).toEqual([]);
  });

  it('find every probe of every length in one pass, verified by text: hits and misses', () => {
    const table = new ProbeTable();
    table.add(0, ['abcdefghij'.repeat(5)]);
    table.add(1, ['Whichgasdoplantstakein']);
    table.add(2, ['0123456789'.repeat(5), 'zzzzzzzzzz'.repeat(5)]);
    const found = (text: string) => {
      const hits: [number, number, number][] = [];
      table.find(probeNormalise(text), (ref, at) => hits.push([ref.item, ref.probe, at]));
      return hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    };
    // The lower-case 'which gas ...' misses (case is kept); the capitalised one after it is found.
    expect(found(`Q: ${'abcde fghij '.repeat(5)} and: which gas do plants take in? Which gas, do plants take-in!`)).toEqual([[0, 0, 1], [1, 0, 76]]);
    // One character changed, a case change, one character short, a shared 16-character anchor with another ending: no hit.
    expect(found(`${'abcdefghij'.repeat(4)}abcdefghiX which GAS do plants take in ${'0123456789'.repeat(5).slice(1)} Which gas do plants take out`)).toEqual([]);
    expect(found(`${'0123456789'.repeat(6)} ${'z'.repeat(50)}`)).toEqual([[2, 0, 0], [2, 1, 60]]);
  });

  it('are reported beside the n-gram result per item and per benchmark, merge across shards, and reach contam audit --overlap', () => {
    const { root, bench, corpus } = cliFixture();
    // Item 4 is under 13 words: no n-gram can find it, a probe (its whole text) can.
    writeFileSync(join(corpus, 'c.jsonl'), `${JSON.stringify({ text: `Quiz: ${QUESTIONS[4]} Carbon dioxide.` })}\n`);
    const common = ['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--probes', '3'];
    const out = runCli([...common, '--out-dir', join(root, 'o')]);
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n').slice(0, 2)).toEqual([
      'gsm8k (question): 4 of 4 checkable items found, share 1.00 [0.51, 1.00]; 4 of 5 items checkable (0.80), 0 partly matched',
      // Item 1 is planted in capitals: case is kept, so its probes miss.
      'gsm8k substring probes (3 per item): 4 of 5 items found, share 0.80 [0.38, 0.96]; 1 only by probes, 1 only by n-grams',
    ]);
    const r = JSON.parse(readFileSync(join(root, 'o/overlap.json'), 'utf8'));
    const rel = (p: string) => p.replace(`${corpus}/`, '');
    expect(r.benchmarks[0].probes.matches.map((m: { id: string; probesFound: number[]; records: number; first: { file: string; line: number; record: number }; ngramFound: boolean }) => [m.id, m.probesFound, m.records, rel(m.first.file), m.first.line, m.ngramFound])).toEqual([
      ['gsm8k/test/0', [0, 1, 2], 2, 'a.jsonl', 5, true],
      ['gsm8k/test/2', [0, 1, 2], 1, 'b.jsonl.gz', 10, true],
      ['gsm8k/test/3', [0, 1, 2], 1, 'notes.txt', 4, true],
      ['gsm8k/test/4', [0], 1, 'c.jsonl', 1, false],
    ]);
    expect(r.convention.probes).toMatchObject({ perItem: 3, length: 50, seed: 0 });
    const jsonl = readFileSync(join(root, 'o/overlap.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(jsonl.map((l: { id: string; found: boolean; probe: { ngramFound: boolean } | null }) => [l.id, l.found, l.probe === null ? null : l.probe.ngramFound])).toEqual([
      ['gsm8k/test/0', true, true], ['gsm8k/test/1', true, null], ['gsm8k/test/2', true, true], ['gsm8k/test/3', true, true], ['gsm8k/test/4', false, false],
    ]);
    const md = readFileSync(join(root, 'o/overlap.md'), 'utf8');
    expect(md).toContain('| 1.00 [0.51, 1.00] | 0 | 4 / 5, 0.80 [0.38, 0.96] (1 only by probes, 1 only by n-grams) |');
    expect(md).toMatch(/\| gsm8k\/test\/1 \| 1\.00 \| 8 \/ 8 \| 1 \| .*a\.jsonl line 12, offset 0 \| weng earns .* \| 0 of 3 \|\n/);
    expect(md).toContain('## gsm8k: found by substring probes only\n\n| Item | Probes found | Records | First location |\n| --- | --- | --- | --- |\n| gsm8k/test/4 | 1 of 3 | 1 |');
    for (let i = 0; i < 3; i += 1) expect(runCli([...common, '--shard', `${i}/3`, '--out-dir', join(root, `s${i}`)]).code).toBe(0);
    expect(runCli(['overlap', 'merge', join(root, 's0'), join(root, 's1'), join(root, 's2'), '--out-dir', join(root, 'm')]).code).toBe(0);
    const strip = (p: string) => ({ ...JSON.parse(readFileSync(p, 'utf8')), run: null });
    expect(strip(join(root, 'm/overlap.json'))).toEqual(strip(join(root, 'o/overlap.json')));
    const audit = withDataOverlap(fixtureResults.benchmarks, loadOverlap(join(root, 'o/overlap.json'), fixtureResults.config.benchmarks));
    const data = audit[1].dataOverlap;
    expect(data?.scanned && data.probes).toEqual({ perItem: 3, found: 4, share: 0.8, interval: { low: expect.closeTo(0.3755, 3), high: expect.closeTo(0.9638, 3) } });
  });
});
