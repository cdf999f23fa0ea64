/**
 * Ctrl-C on a non-interactive audit: the sample in flight finishes, partial results are written and
 * marked partial, and the exit code is 130. A rerun with the same cache completes the rest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';
import { auditArgs, runCli, tempDir, type CliRun } from './cli-helpers.js';

describe('SIGINT during an audit', () => {
  let fx: AuditFixture;
  let cache: string;
  let out: string;
  let interrupted: CliRun;
  beforeAll(async () => {
    fx = await writeAuditFixture(tempDir('interrupt-fx'), { rows: 24 });
    cache = tempDir('interrupt-cache');
    out = tempDir('interrupt-out');
    // Interrupt after the third progress line of the first benchmark.
    let seen = 0;
    interrupted = await runCli(auditArgs(fx, ['-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`, '--cache-dir', cache, '--out-dir', out]), {
      killWhen: (line) => /^\[gsm8k\] \d+\/24 samples/.test(line) && ++seen === 3,
      killSignal: 'SIGINT',
    });
  }, 120_000);

  it('exits 130 with one line saying the partial results were written', () => {
    expect(interrupted.signal).toBeNull();
    expect(interrupted.code).toBe(130);
    const last = interrupted.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toBe(`contam: interrupted: partial results written to ${join(out, "results.json")}`);
    expect(interrupted.stderr).not.toMatch(/^\s+at /m);
  });

  it('writes results.json marked partial, with the finished samples only', () => {
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.partial).toBe(true);
    const [gsm8k] = results.benchmarks;
    expect(gsm8k.name).toBe('gsm8k');
    expect(gsm8k.samplesScored).toBeGreaterThanOrEqual(3);
    expect(gsm8k.samplesScored).toBeLessThan(24);
    expect(results.benchmarks.map((b: { name: string }) => b.name)).not.toContain('arc');
    expect(existsSync(join(out, 'report.md'))).toBe(true);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/partial/i);
  });

  it('a rerun with the same cache completes the audit and reuses every finished sample', async () => {
    const first = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const done = first.benchmarks[0].samplesScored as number;
    const rerun = await runCli(auditArgs(fx, ['-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`, '--cache-dir', cache, '--out-dir', out]));
    expect(rerun.code).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.partial).toBe(false);
    expect(results.benchmarks[0].cacheHits).toBe(done);
    expect(results.benchmarks.map((b: { samplesScored: number }) => b.samplesScored)).toEqual([24, 24]);
  }, 120_000);
});
