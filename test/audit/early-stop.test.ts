import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit, type AuditOutput } from '../../src/audit/run.js';
import type { AuditConfig } from '../../src/audit/types.js';
import { fixtureAuditConfig, writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'contam-early-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function config(fx: AuditFixture, earlyStop: boolean, mode: 'fixed' | 'compat'): AuditConfig {
  return fixtureAuditConfig(fx, join(root, 'cache'), {
    samples: 12,
    seed: 3,
    sampling: 'seeded',
    detectors: ['loss', 'min-k', 'min-k-plus-plus', 'zlib'],
    neighbours: 60,
    mode,
    earlyStop,
  });
}

describe('exact early stopping on a fixture audit', () => {
  let fx: AuditFixture;
  beforeAll(async () => {
    fx = await writeAuditFixture(join(root, 'fx'), { rows: 12 });
  });

  for (const mode of ['fixed', 'compat'] as const) {
    it(`${mode} mode: identical per-sample flags, fewer neighbours scored, the saving reported`, async () => {
      const full: AuditOutput = await runAudit(config(fx, false, mode), {});
      const early: AuditOutput = await runAudit(config(fx, true, mode), {});
      expect(early.samples.map((s) => s.id)).toEqual(full.samples.map((s) => s.id));
      early.samples.forEach((s, i) => {
        expect(s.flags).toEqual(full.samples[i].flags);
        expect(s.controlFlags).toEqual(full.samples[i].controlFlags);
        expect(s.scores).toEqual(full.samples[i].scores);
      });
      const [f] = full.results.benchmarks;
      const [e] = early.results.benchmarks;
      expect(f.neighboursScored).toBe(12 * 60);
      expect(f.neighboursSaved).toBe(0);
      expect(e.neighboursScored).toBeLessThan(f.neighboursScored);
      expect(e.neighboursSaved).toBe(f.neighboursScored - e.neighboursScored);
      expect(e.detectors.map((d) => [d.detector, d.contamination, d.control.contamination])).toEqual(
        f.detectors.map((d) => [d.detector, d.contamination, d.control.contamination]),
      );
    });
  }
});
