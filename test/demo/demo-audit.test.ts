import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditResults } from '../../src/audit/types.js';
import { repoRoot } from '../helpers/shared-data.js';
import { tableAfter } from '../report/md-parse.js';

const root = mkdtempSync(join(tmpdir(), 'contam-demo-audit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// The README's first command runs `contam demo`; this runs the same command at the reduced CI size
// (20 items per benchmark) through the built CLI, with no network and a fresh cache.
describe('contam demo (ci size) through the built CLI', () => {
  const out = join(root, 'report');
  const run = spawnSync(process.execPath, [join(repoRoot, 'dist/cli/main.js'), 'demo', '--size', 'ci', '--json', '--out-dir', out, '--cache-dir', join(root, 'cache')], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
    timeout: 300_000,
  });
  const results = JSON.parse(run.stdout) as AuditResults;
  const cell = (bench: string, detector: string) => results.benchmarks.find((b) => b.name === bench)!.detectors.find((d) => d.detector === detector)!;

  it('exits 0 and writes the report set', () => {
    expect(run.status).toBe(0);
    for (const f of ['results.json', 'samples.jsonl', 'report.md']) expect(existsSync(join(out, f))).toBe(true);
  });

  it('catches the contaminated benchmark: >= 0.85 and contaminated, control near 0', () => {
    const c = cell('demo-contaminated', 'loss');
    expect(c.contamination).toBeGreaterThanOrEqual(0.85);
    expect(c.verdict).toBe('contaminated');
    expect(c.control.contamination).toBeLessThanOrEqual(0.3);
  });

  it('clears the clean benchmark: <= 0.3 and clean', () => {
    const c = cell('demo-clean', 'loss');
    expect(c.contamination).toBeLessThanOrEqual(0.3);
    expect(c.verdict).toBe('clean');
  });

  it('puts the partial benchmark near its known fraction (0.4 inside the interval)', () => {
    const c = cell('demo-partial', 'loss');
    expect(c.interval.low).toBeLessThanOrEqual(0.4);
    expect(c.interval.high).toBeGreaterThanOrEqual(0.4);
  });

  it('separates members from held-out items: Min-K%++ AUROC >= 0.95 in the labelled evaluation', () => {
    const labelled = cell('demo-partial', 'min-k-plus-plus').labelled!;
    expect(labelled.members).toBe(8);
    expect(labelled.nonMembers).toBe(12);
    expect(labelled.auroc).toBeGreaterThanOrEqual(0.95);
  });

  it('puts a blind baseline beside the labelled AUROCs: near chance on demo-partial, whose split differs only in training', () => {
    const partial = results.benchmarks.find((b) => b.name === 'demo-partial')!;
    const base = partial.blindBaseline!;
    expect({ members: base.members, nonMembers: base.nonMembers, folds: base.folds, warning: base.warning }).toEqual({ members: 8, nonMembers: 12, folds: 5, warning: undefined });
    // Members and held-out items come from the same templates: the texts alone do not tell them apart.
    expect(base.interval.low).toBeLessThan(0.5);
    expect(base.lengthInterval.low).toBeLessThan(0.5);
    expect(base.lengthInterval.high).toBeGreaterThan(0.5);
    // One class only: no AUROC, no baseline.
    expect(results.benchmarks.filter((b) => b.blindBaseline).map((b) => b.name)).toEqual(['demo-partial']);
    const file = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as AuditResults;
    expect(file.benchmarks.find((b) => b.name === 'demo-partial')!.blindBaseline).toEqual(base);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const row = (label: string, auroc: number, interval: { low: number; high: number }) =>
      `| demo-partial | ${label} | ${auroc.toFixed(2)} [${interval.low.toFixed(2)}, ${interval.high.toFixed(2)}] | – | – | – | – | 8 / 12 |`;
    const lines = md.split('\n');
    const at = lines.indexOf(row('blind baseline (bag of words, no model)', base.auroc, base.interval));
    // Under demo-partial's detectors (zlib is the last), then word count alone.
    expect(lines[at - 1]).toMatch(/^\| demo-partial \| zlib \| /);
    expect(lines[at + 1]).toBe(row('length alone (word count, longer = member)', base.lengthAuroc, base.lengthInterval));
    expect(md).toContain('The *no model* rows use the item texts alone');
    expect(md).not.toContain('⚠️ **demo-partial**');
  });

  it('flags exactly the items the target trained on', () => {
    const samples = readFileSync(join(out, 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { label?: string; flags: Record<string, boolean> });
    const agree = samples.filter((s) => s.flags.loss === (s.label === 'member')).length;
    expect(agree / samples.length).toBeGreaterThanOrEqual(0.95);
  });

  it('the Markdown report opens with one row per model and one column per benchmark, and names no local path', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const headline = tableAfter(md, '## Results');
    expect(headline[0]).toEqual(['Model', 'demo-contaminated', 'demo-clean', 'demo-partial']);
    expect(headline[2][0]).toBe('demo-target (target)');
    expect(headline[3][0]).toBe("demo-reference (control: reference in the target's seat)");
    expect(headline[2][1]).toMatch(/🚩 contaminated$/);
    expect(headline[2][2]).toMatch(/✅ clean$/);
    // 40% of demo-partial's items memorised: never called clean (the upstream reading would).
    expect(headline[2][3]).not.toMatch(/clean$/);
    expect(md).not.toMatch(/\/root\/|\/tmp\/|\/home\/|\.cache\//);
  });

  it('results.json gives each benchmark one verdict, from the primary detector', () => {
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as AuditResults;
    const verdicts = Object.fromEntries(results.benchmarks.map((b) => [b.name, b.verdict.verdict]));
    expect(verdicts['demo-contaminated']).toBe('contaminated');
    expect(verdicts['demo-clean']).toBe('clean');
    expect(verdicts['demo-partial']).not.toBe('clean');
    expect(results.benchmarks.every((b) => b.verdict.detector === results.config.detectors[0])).toBe(true);
    expect(results.models.target.name).toBe('demo-target');
  });
});
