/**
 * Both halves in one report, end to end: contam overlap scans a corpus with two of the fixture's
 * GSM8K questions planted, then contam audit --overlap on the fixture models shows the data side
 * beside the model side in results.json, report.md and the summary; ARC, not scanned, says so.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditResults } from '../../src/audit/types.js';
import { writeAuditFixture } from '../helpers/audit-fixture.js';
import { runCli } from './cli.js';

describe('contam audit --overlap on fixture models', () => {
  it('puts the scan of the training data beside the model-side share per benchmark', async () => {
    const root = mkdtempSync(join(tmpdir(), 'contam-e2e-overlap-'));
    const fx = await writeAuditFixture(join(root, 'fixture'), { rows: 8 });
    const questions = readFileSync(fx.gsm8k, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { question: string }).question);
    const corpus = join(root, 'corpus.jsonl');
    writeFileSync(corpus, [`Seen: ${questions[1]}`, 'nothing here', `Also ${questions[6]} done`].map((text) => JSON.stringify({ text })).join('\n') + '\n');
    // The fixture's questions are 6 to 10 words: 5-grams make every one checkable.
    const scan = runCli(['overlap', '--corpus', corpus, '-b', `gsm8k=${fx.gsm8k}`, '--ngram', '5', '--out-dir', join(root, 'ov')]);
    expect(scan.code).toBe(0);
    const overlap = join(root, 'ov/overlap.json');
    const audit = runCli([
      'audit', '--target', fx.target, '--reference', fx.reference, '-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`,
      '--neighbours', '10', '-n', '4', '--no-cache', '--out-dir', join(root, 'run'), '--overlap', overlap,
    ]);
    expect(audit.stderr).not.toMatch(/internal error/);
    expect(audit.code).toBe(0);
    const results = JSON.parse(readFileSync(join(root, 'run/results.json'), 'utf8')) as AuditResults;
    expect(results.schemaVersion).toBe(3);
    const [gsm8k, arc] = results.benchmarks;
    expect(gsm8k.dataOverlap).toEqual({
      scanned: true, file: overlap, ngram: 5, checked: ['question'], items: 8, checkable: 8, found: 2,
      share: 0.25, interval: { low: expect.closeTo(0.0715, 3), high: expect.closeTo(0.5907, 3) }, coverage: 1,
    });
    expect(arc.dataOverlap).toEqual({ scanned: false, file: overlap });
    const primary = gsm8k.detectors.find((d) => d.detector === gsm8k.verdict.detector)!;
    const model = `${primary.contamination.toFixed(2)} [${primary.interval.low.toFixed(2)}, ${primary.interval.high.toFixed(2)}]`;
    const lines = audit.stdout.trim().split('\n');
    expect(lines.slice(-2)).toEqual([
      `gsm8k: training data (…/ov/overlap.json): 0.25 [0.07, 0.59], 2 of 8 found; 8 of 8 checkable (1.00); model side ${model}`,
      expect.stringMatching(/^arc: training data \(…\/ov\/overlap\.json\): not scanned; model side \d\.\d\d \[/),
    ]);
    const md = readFileSync(join(root, 'run/report.md'), 'utf8');
    expect(md).toContain('| Training data (contam overlap: share of items found) | 0.25 [0.07, 0.59], 2 of 8 found; 8 of 8 checkable (1.00) | not scanned |');
  });
});
