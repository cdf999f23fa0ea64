import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditResults } from '../../src/audit/types.js';
import { repoRoot } from '../helpers/shared-data.js';

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

  it('flags exactly the items the target trained on', () => {
    const samples = readFileSync(join(out, 'samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { label?: string; flags: Record<string, boolean> });
    const agree = samples.filter((s) => s.flags.loss === (s.label === 'member')).length;
    expect(agree / samples.length).toBeGreaterThanOrEqual(0.95);
  });

  it('the Markdown report says what was found', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/\| demo-contaminated \| 20 \| 1\.00 \[0\.84, 1\.00\] \| 0\.00 \| 🚩 contaminated \|/);
  });
});
