/**
 * The dry run's work estimate against what an audit really does: with early stopping off, the
 * model calls, neighbours and texts are exactly the estimate's; with it on, within its range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateWork, totalWork } from '../../src/audit/estimate.js';
import { runAudit } from '../../src/audit/run.js';
import type { AuditConfig } from '../../src/audit/types.js';
import { fixtureAuditConfig, writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'contam-estimate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SAMPLES = 5;

function config(fx: AuditFixture, earlyStop: boolean, detectors: string[]): AuditConfig {
  return fixtureAuditConfig(fx, join(root, 'cache'), { samples: SAMPLES, seed: 0, detectors, neighbours: 20, earlyStop });
}

describe('estimateWork', () => {
  it('counts chunks, passes and seats as runSample does (M 100, cut 0.1: chunks 10, 10, 20, 40, 20)', () => {
    const defaults = { detectors: ['loss', 'lowercase'], neighbours: 100, cut: 0.1, earlyStop: true };
    // Per sample, two passes: 4 calls for the original, 5 per chunk; 1 + 10 (or 100) texts, twice.
    expect(estimateWork(defaults, 3)).toEqual({
      samples: 3,
      neighboursPerSample: 100,
      neighboursDrawn: { min: 30, max: 300 },
      textsScoredPerModel: { min: 66, max: 606 },
      modelCalls: { min: 27, max: 87 },
    });
    expect(estimateWork({ ...defaults, detectors: ['loss'], earlyStop: false }, 3)).toEqual({
      samples: 3,
      neighboursPerSample: 100,
      neighboursDrawn: { min: 300, max: 300 },
      textsScoredPerModel: { min: 303, max: 303 },
      modelCalls: { min: 51, max: 51 },
    });
    // No samples, no work.
    expect(estimateWork(defaults, 0).modelCalls).toEqual({ min: 0, max: 0 });
    expect(totalWork([estimateWork(defaults, 1), estimateWork(defaults, 2)], 100)).toEqual(estimateWork(defaults, 3));
  });

  describe('against a fixture audit', () => {
    let fx: AuditFixture;
    beforeAll(async () => {
      fx = await writeAuditFixture(join(root, 'fx'), { rows: SAMPLES });
    });

    it.each([
      ['loss, zlib', ['loss', 'zlib']],
      ['with the lowercase pass', ['loss', 'lowercase']],
    ])('no early stopping (%s): exactly the estimate', async (_, detectors) => {
      const c = config(fx, false, detectors);
      const out = await runAudit(c);
      const work = estimateWork(c, SAMPLES);
      expect(work.modelCalls.min).toBe(work.modelCalls.max);
      expect(out.results.modelCalls).toBe(work.modelCalls.max);
      expect(out.results.benchmarks[0].neighboursScored).toBe(work.neighboursDrawn.max);
    });

    it('early stopping: within the range', async () => {
      const c = config(fx, true, ['loss', 'lowercase']);
      const out = await runAudit(c);
      const work = estimateWork(c, SAMPLES);
      expect(out.results.modelCalls).toBeGreaterThanOrEqual(work.modelCalls.min);
      expect(out.results.modelCalls).toBeLessThanOrEqual(work.modelCalls.max);
      const scored = out.results.benchmarks[0].neighboursScored;
      expect(scored).toBeGreaterThanOrEqual(work.neighboursDrawn.min);
      expect(scored).toBeLessThanOrEqual(work.neighboursDrawn.max);
    });
  });
});
