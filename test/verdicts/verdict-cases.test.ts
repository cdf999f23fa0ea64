/**
 * Issue 17's verdict cases, audited end to end with calibration models built the way the demo builds
 * its own (src/demo/calibration.ts) and the CLI's default settings (primary detector, margins, cut):
 * - a lightly memorised benchmark (one retold copy per member, loss AUROC about 0.9, half of 200 items
 *   memorised, 20 neighbours) is not called clean, and its twin (a target that saw as much other text of
 *   the same style) is;
 * - a benchmark whose null is high (both seats find the originals above their neighbours about half the
 *   time) is not called contaminated, though the absolute reading at lowered thresholds would call it so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run.js';
import type { AuditConfig, BenchmarkResult } from '../../src/audit/types.js';
import { DEFAULTS } from '../../src/cli/config.js';
import { buildCalibrationCase, type CalibrationCase } from '../../src/demo/calibration.js';

const root = mkdtempSync(join(tmpdir(), 'contam-verdict-cases-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function audit(c: CalibrationCase, over: Partial<AuditConfig> = {}, reference = c.referenceDir): Promise<BenchmarkResult> {
  const config: AuditConfig = {
    ...DEFAULTS,
    detectors: [...DEFAULTS.detectors],
    target: { path: c.targetDir },
    reference: { path: reference },
    benchmarks: [c.benchmark],
    samples: 200,
    neighbours: 20,
    cache: { enabled: false, dir: join(root, 'cache') },
    outputs: [],
    ...over,
  };
  const { results } = await runAudit(config, {});
  return results.benchmarks[0];
}

describe('verdicts on calibration cases, default settings', () => {
  it('a lightly memorised benchmark (loss AUROC about 0.9, half of 200 items) is not clean; its twin is', async () => {
    const light = await audit(buildCalibrationCase({ dir: root, items: 200, memberFraction: 0.5, strength: 'weak' }));
    const primary = light.detectors.find((d) => d.detector === light.verdict.detector)!;
    expect(light.verdict.detector).toBe(DEFAULTS.detectors[0]);
    expect(primary.labelled!.auroc).toBeGreaterThan(0.8);
    expect(primary.labelled!.auroc).toBeLessThan(0.97);
    expect(light.verdict.verdict).not.toBe('clean');
    // The upstream reading cannot see it: a few percent flagged is far below 0.5.
    expect(light.verdict.absoluteVerdict).toBe('clean');
    expect(primary.mcnemar.targetOnly).toBeGreaterThan(primary.mcnemar.controlOnly);

    const twin = await audit(buildCalibrationCase({ dir: root, items: 200, memberFraction: 0.5, strength: 'weak', twin: true }));
    expect(twin.verdict.verdict).toBe('clean');
    expect(twin.sensitivity?.sentence).toMatch(/^loss flags \d\.\d\d of verbatim-memorised and \d\.\d\d of lightly memorised items/);
  }, 240_000);

  it('a benchmark whose null is high under both seats is not contaminated', async () => {
    // Target and reference both saw every item: each finds the originals above their neighbours about
    // half the time. The absolute reading at thresholds 0.2 / 0.4 calls that contaminated; the control does not.
    const seen = buildCalibrationCase({ dir: root, items: 100, memberFraction: 1, strength: 'strong' });
    const high = await audit(seen, { samples: 100, thresholds: { suspicious: 0.2, contaminated: 0.4 } }, seen.targetDir);
    const primary = high.detectors.find((d) => d.detector === high.verdict.detector)!;
    expect(primary.contamination).toBeGreaterThan(0.3);
    expect(primary.control.contamination).toBeGreaterThan(0.3);
    expect(high.verdict.absoluteVerdict).toBe('contaminated');
    expect(high.verdict.verdict).not.toBe('contaminated');
  }, 240_000);
});
