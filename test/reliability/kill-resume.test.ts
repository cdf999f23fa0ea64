/**
 * Issue #9: an audit killed with SIGKILL at three seeded points resumes from the per-sample cache.
 * Proof that no finished sample is computed again: every sample key appears once among the cache's
 * valid lines (a recomputed sample would be appended a second time), and the final run's cacheHits
 * per benchmark equal the records cached before it, with modelCalls lower by exactly the calls those
 * samples would have cost. The final results.json equals an uninterrupted run's, except for the keys
 * listed in cli-helpers.ts (wall-clock times, cache counters, and the paths in command and config).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/util/random.js';
import { writeAuditFixture } from '../helpers/audit-fixture.js';
import { auditArgs, benchmarksOf, cacheFiles, cachedPerBenchmark, comparable, readJson, runCli, tempDir } from './cli-helpers.js';

const ROWS = 24;
const OFFSET: Record<string, number> = { gsm8k: 0, arc: ROWS };

/** Samples finished so far across both benchmarks, from a progress line like "[arc] 5/24 samples (20%) ...". */
function doneOf(line: string): number | undefined {
  const m = /^\[(gsm8k|arc)\] (\d+)\/\d+ samples/.exec(line);
  return m ? OFFSET[m[1]] + Number(m[2]) : undefined;
}

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

describe('kill and resume', () => {
  it('resumes after three SIGKILLs without recomputing a finished sample and ends with the uninterrupted results', async () => {
    const root = tempDir('kill-resume');
    const fx = await writeAuditFixture(join(root, 'fixture'), { rows: ROWS });
    const args = (name: string) =>
      auditArgs(fx, ['-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`, '--cache-dir', join(root, `cache-${name}`), '--out-dir', join(root, `out-${name}`)]);

    // The uninterrupted reference run, on its own fresh cache, alongside the killed runs.
    const baselineRun = runCli(args('fresh'));

    // Three kill points, one in each third of the 48 samples, from a fixed seed.
    const rng = seededRandom(909);
    const points = [0, 1, 2].map((third) => 4 + third * 15 + Math.floor(rng() * 10));
    const cacheDir = join(root, 'cache-resumed');
    const cachedAtKill: number[] = [];
    for (const point of points) {
      const before = sum(cachedPerBenchmark(cacheDir));
      // Kill only once this run has finished at least one sample of its own, so every kill makes progress.
      const killAt = Math.max(point, before + 1);
      const killed = await runCli(args('resumed'), { killWhen: (line) => (doneOf(line) ?? 0) >= killAt });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      const after = sum(cachedPerBenchmark(cacheDir));
      expect(after).toBeGreaterThan(before);
      expect(after).toBeLessThan(2 * ROWS);
      cachedAtKill.push(after);
    }

    const cachedBefore = cachedPerBenchmark(cacheDir);
    const final = await runCli(args('resumed'));
    expect(final.code, final.stderr).toBe(0);
    const baseline = await baselineRun;
    expect(baseline.code, baseline.stderr).toBe(0);

    const resumed = readJson(join(root, 'out-resumed', 'results.json'));
    const fresh = readJson(join(root, 'out-fresh', 'results.json'));
    expect(resumed.partial).toBe(false);
    expect(benchmarksOf(fresh).map((b) => b.cacheHits)).toEqual([0, 0]);

    // Cache statistics: everything cached before the final run was a hit, nothing else was.
    expect(benchmarksOf(resumed).map((b) => [b.name, b.cacheHits])).toEqual([
      ['gsm8k', cachedBefore.gsm8k ?? 0],
      ['arc', cachedBefore.arc ?? 0],
    ]);
    // With 20 neighbours (one sampling chunk) every computed sample costs the same number of model calls.
    const perSample = (fresh.modelCalls as number) / (2 * ROWS);
    expect(Number.isInteger(perSample)).toBe(true);
    expect(resumed.modelCalls).toBe(perSample * (2 * ROWS - sum(cachedBefore)));

    // No finished sample was ever computed twice: each key occurs once among the valid cache lines.
    const lines = cacheFiles(cacheDir).flatMap((f) => f.lines);
    const keys = lines.flatMap((l) => (l.record ? [l.record.k] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(2 * ROWS);
    // A SIGKILL can at most cut the line being written when it landed: one per kill.
    expect(lines.length - keys.length).toBeLessThanOrEqual(points.length);

    // Same numbers as the uninterrupted run, byte for byte in samples.jsonl.
    expect(comparable(resumed)).toEqual(comparable(fresh));
    expect(readFileSync(join(root, 'out-resumed', 'samples.jsonl'), 'utf8')).toBe(readFileSync(join(root, 'out-fresh', 'samples.jsonl'), 'utf8'));
    expect(cachedAtKill).toEqual([...cachedAtKill].sort((a, b) => a - b));
  });
});
