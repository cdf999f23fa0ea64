/**
 * Real text: GSM8K and ARC-Challenge test questions planted into real prose (this repository's README
 * and the shared reference notes). The report must name exactly the planted items, and the clean copy
 * must hold none of them and every other record byte for byte.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalise, words } from '../../src/overlap/normalise.js';
import { runCli } from '../e2e/cli.js';
import { hasSharedData, repoRoot, sharedData, sharedDataNote, sharedPath } from '../helpers/shared-data.js';

const GSM8K = sharedPath('benchmarks/gsm8k/test.jsonl');
const ARC = sharedPath('benchmarks/arc/ARC-Challenge-Test.jsonl');

function prose(): string[] {
  const reference = resolve(sharedData, '../reference');
  const files = [join(repoRoot, 'README.md'), ...(existsSync(reference) ? readdirSync(reference).sort().map((f) => join(reference, f)) : [])];
  return files.flatMap((f) => readFileSync(f, 'utf8').split(/\n\s*\n/)).map((p) => p.trim()).filter((p) => p.split(/\s+/).length >= 8);
}

/** The first row at or after `from` whose question has at least 13 words, with its row index. */
function checkable(questions: readonly string[], from: number): [number, string] {
  for (let i = from; i < questions.length; i += 1) if (words(questions[i]).length >= 13) return [i, questions[i]];
  throw new Error('no checkable question');
}

describe('contam overlap on real benchmark text', () => {
  it.skipIf(!hasSharedData)(`names exactly the GSM8K and ARC items planted in real prose, and the clean copy drops only them${sharedDataNote}`, () => {
    const gsm = readFileSync(GSM8K, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { question: string }).question);
    const arc = readFileSync(ARC, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { question: { stem: string } }).question.stem);
    const [g1, g2, g3] = [checkable(gsm, 3), checkable(gsm, 250), checkable(gsm, 1000)];
    const [a1, a2] = [checkable(arc, 10), checkable(arc, 700)];
    const nearMiss = gsm[1318].split(/\s+/).slice(0, 12).join(' ');
    const paragraphs = prose();
    expect(paragraphs.length).toBeGreaterThan(40);
    const records = paragraphs.map((text) => JSON.stringify({ text }));
    const half = (p: string) => p.split(' ').slice(0, 6).join(' ');
    const planted: Record<number, string> = {
      5: JSON.stringify({ text: `${half(paragraphs[5])} ${g1[1]} ${paragraphs[5]}` }),
      12: JSON.stringify({ messages: [{ role: 'user', content: g2[1].toUpperCase() }, { role: 'assistant', content: paragraphs[12] }] }),
      20: JSON.stringify({ text: `${paragraphs[20]}\n${g3[1].split(' ').map((w, i) => (i % 5 === 4 ? `${w}\n` : `${w} `)).join('')}` }),
      27: JSON.stringify({ prompt: a1[1], chosen: paragraphs[27], rejected: 'No.' }),
      33: JSON.stringify({ text: `${paragraphs[33]} (${a2[1]})` }),
      38: JSON.stringify({ text: `${paragraphs[38]} ${nearMiss} however ${paragraphs[39]}` }),
    };
    for (const [at, line] of Object.entries(planted)) records[Number(at)] = line;
    const root = mkdtempSync(join(tmpdir(), 'contam-overlap-real-'));
    writeFileSync(join(root, 'corpus.jsonl'), `${records.join('\n')}\n`);
    const out = runCli(['overlap', '--corpus', join(root, 'corpus.jsonl'), '-b', `gsm8k=${GSM8K},arc=${ARC}`, '--out-dir', join(root, 'o'), '--write-clean', join(root, 'clean'), '--json']);
    expect(out.stderr).not.toMatch(/contam:/);
    const report = JSON.parse(out.stdout);
    const found = report.benchmarks.map((b: { benchmark: string; found: number; matches: { id: string; found: boolean }[] }) => [b.benchmark, b.matches.filter((m) => m.found).map((m) => m.id)]);
    expect(found).toEqual([
      ['gsm8k', [`gsm8k/test/${g1[0]}`, `gsm8k/test/${g2[0]}`, `gsm8k/test/${g3[0]}`]],
      ['arc', [`arc/test/${a1[0]}`, `arc/test/${a2[0]}`]],
    ]);
    expect(report.benchmarks.map((b: { items: number; checkable: number; partial: number }) => [b.items, b.checkable, b.partial])).toEqual([
      [1319, 1319, 0],
      [1172, 864, 0],
    ]);
    const jsonl = readFileSync(join(root, 'o/overlap.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; spans: { line: number }[] });
    expect(jsonl.map((m) => [m.id, m.spans.map((s) => s.line)])).toEqual([
      [`gsm8k/test/${g1[0]}`, [6]],
      [`gsm8k/test/${g2[0]}`, [13]],
      [`gsm8k/test/${g3[0]}`, [21]],
      [`arc/test/${a1[0]}`, [28]],
      [`arc/test/${a2[0]}`, [34]],
    ]);
    const clean = readFileSync(join(root, 'clean/corpus.jsonl'), 'utf8');
    expect(clean).toBe(records.filter((_, i) => ![5, 12, 20, 27, 33].includes(i)).map((r) => `${r}\n`).join(''));
    const cleanText = normalise(clean.split('\n').filter(Boolean).map((l) => JSON.stringify(JSON.parse(l))).join(' '));
    for (const q of [g1[1], g2[1], g3[1], a1[1], a2[1]]) expect(cleanText).not.toContain(normalise(q).split(' ').slice(0, 13).join(' '));
  });
});
