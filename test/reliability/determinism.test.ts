/**
 * Issue #9: the same configuration and seed give byte-identical reports. Both runs use --no-cache
 * (so cacheHits and modelCalls are equal too) and the same --out-dir (so the command line and
 * config paths are equal too); the only keys that may differ are wall-clock ones: startedAt,
 * finishedAt, durationMs, timing and benchmarks[].durationMs. samples.jsonl must match byte for byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';
import { auditArgs, comparable, readJson, runCli, tempDir } from './cli-helpers.js';

let root: string;
let fx: AuditFixture;

beforeAll(async () => {
  root = tempDir('determinism');
  fx = await writeAuditFixture(join(root, 'fixture'), { rows: 10 });
});

/** results.json with the wall-clock keys blanked, as text, so a difference shows as a diff. */
function withoutClock(path: string): string {
  const results = readJson(path);
  const json: Record<string, unknown> = { ...results, startedAt: '-', finishedAt: '-', durationMs: 0, timing: '-' };
  json.benchmarks = (results.benchmarks as Record<string, unknown>[]).map((b) => ({ ...b, durationMs: 0 }));
  return JSON.stringify(json, null, 2);
}

describe.each(['fixed', 'compat'])('determinism, %s mode', (mode) => {
  it('gives identical results.json (but for wall-clock keys) and byte-identical samples.jsonl for the same seed', async () => {
    const out = join(root, `out-${mode}`);
    const args = auditArgs(fx, ['-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`, '--mode', mode, '--seed', '7', '--no-cache', '--out-dir', out]);
    const reports: { results: string; samples: string; raw: Record<string, unknown> }[] = [];
    for (let i = 0; i < 2; i++) {
      // The cache directory is recorded in config even with --no-cache: keep it the same too.
      const run = await runCli(args, { env: { CONTAM_CACHE_DIR: join(root, 'unused-cache') } });
      expect(run.code, run.stderr).toBe(0);
      reports.push({
        results: withoutClock(join(out, 'results.json')),
        samples: readFileSync(join(out, 'samples.jsonl'), 'utf8'),
        raw: readJson(join(out, 'results.json')),
      });
    }
    expect(reports[1].results).toBe(reports[0].results);
    expect(reports[1].samples).toBe(reports[0].samples);
    expect(reports[0].raw.modelCalls).toBeGreaterThan(0);
    expect((reports[0].raw.config as { mode: string }).mode).toBe(mode);
    // Sanity: comparable() drops no more than the clock here, so the two agree under it as well.
    expect(comparable(reports[1].raw)).toEqual(comparable(reports[0].raw));
  });
});

describe('determinism across seeds', () => {
  it('a different seed changes the neighbours (the seed is really used)', async () => {
    const samples = await Promise.all(
      ['1', '2'].map(async (seed) => {
        const out = join(root, `out-seed-${seed}`);
        const run = await runCli(auditArgs(fx, ['-b', `gsm8k=${fx.gsm8k}`, '--seed', seed, '--no-cache', '--out-dir', out]));
        expect(run.code, run.stderr).toBe(0);
        return readFileSync(join(out, 'samples.jsonl'), 'utf8');
      }),
    );
    expect(samples[1]).not.toBe(samples[0]);
  });
});
