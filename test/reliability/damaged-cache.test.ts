/**
 * Issue #9: a damaged cache costs recomputation, never a wrong number or a failed audit; and two
 * audits writing one cache directory at the same time neither corrupt it nor lose results.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';
import { auditArgs, benchmarksOf, cacheFiles, comparable, readJson, runCli, tempDir } from './cli-helpers.js';

const ROWS = 8;
let root: string;
let fx: AuditFixture;

beforeAll(async () => {
  root = tempDir('damaged-cache');
  fx = await writeAuditFixture(join(root, 'fixture'), { rows: ROWS });
});

describe('damaged cache', () => {
  it('ignores a line cut mid-way and garbage lines with a warning, recomputes those samples, and keeps the numbers', async () => {
    const cacheDir = join(root, 'cache-damaged');
    const args = (out: string) => auditArgs(fx, ['-b', `gsm8k=${fx.gsm8k}`, '--cache-dir', cacheDir, '--out-dir', join(root, out)]);
    const first = await runCli(args('out-first'));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(/warning: cache/);

    const [{ file, lines }] = cacheFiles(cacheDir);
    expect(lines.map((l) => l.record !== undefined)).toEqual(Array(ROWS).fill(true));
    // Line 3 becomes garbage (bytes and a JSON value that is not a record), the last line is cut mid-way
    // with no newline, as a kill during a write would leave it.
    const raw = lines.map((l) => l.raw);
    const last = raw[ROWS - 1];
    const damaged = [...raw.slice(0, 2), '\u0000\u0007garbage{"k":', '["not", "a record"]', ...raw.slice(3, ROWS - 1), last.slice(0, Math.floor(last.length / 2))];
    writeFileSync(file, damaged.join('\n'));

    const second = await runCli(args('out-second'));
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`warning: cache file ${file}: 3 damaged line(s) ignored and cleared (first at line 3); those samples will be recomputed`);
    const firstResults = readJson(join(root, 'out-first', 'results.json'));
    const secondResults = readJson(join(root, 'out-second', 'results.json'));
    // Two records were lost (line 3 and the cut last line): exactly those two are recomputed.
    expect(benchmarksOf(secondResults)[0].cacheHits).toBe(ROWS - 2);
    expect(secondResults.modelCalls).toBe(((firstResults.modelCalls as number) / ROWS) * 2);
    expect(comparable(secondResults)).toEqual(comparable(firstResults));
    expect(readFileSync(join(root, 'out-second', 'samples.jsonl'), 'utf8')).toBe(readFileSync(join(root, 'out-first', 'samples.jsonl'), 'utf8'));

    // The damaged lines were blanked where they were; the recomputed records were appended on lines
    // of their own, not glued to the cut line.
    const after = cacheFiles(cacheDir)[0].lines;
    expect(after.filter((l) => l.record === undefined).map((l) => [l.line, l.raw.trim()])).toEqual([
      [3, ''],
      [4, ''],
      [ROWS + 1, ''],
    ]);
    expect(new Set(after.flatMap((l) => (l.record ? [l.record.k] : []))).size).toBe(ROWS);

    // Warned once: the next run is silent about the cache and served from it.
    const third = await runCli(args('out-third'));
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).not.toMatch(/warning: cache/);
    const thirdResults = readJson(join(root, 'out-third', 'results.json'));
    expect(benchmarksOf(thirdResults)[0].cacheHits).toBe(ROWS);
    expect(thirdResults.modelCalls).toBe(0);
  });
});

describe('one cache directory, two audits at once', () => {
  it('neither corrupts the cache nor loses results, and a third run is all cache hits', async () => {
    const cacheDir = join(root, 'cache-shared');
    const run = (benchmarks: string, out: string) => runCli(auditArgs(fx, ['-b', benchmarks, '--out-dir', join(root, out)]), { env: { CONTAM_CACHE_DIR: cacheDir } });
    // Same benchmarks in opposite orders: both write the same file, mostly different samples at a time.
    const [a, b] = await Promise.all([run(`gsm8k=${fx.gsm8k},arc=${fx.arc}`, 'out-a'), run(`arc=${fx.arc},gsm8k=${fx.gsm8k}`, 'out-b')]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const ra = readJson(join(root, 'out-a', 'results.json'));
    const rb = readJson(join(root, 'out-b', 'results.json'));
    // They really ran at the same time.
    expect(Date.parse(ra.startedAt as string)).toBeLessThan(Date.parse(rb.finishedAt as string));
    expect(Date.parse(rb.startedAt as string)).toBeLessThan(Date.parse(ra.finishedAt as string));

    const files = cacheFiles(cacheDir);
    expect(files).toHaveLength(1);
    const lines = files[0].lines;
    expect(lines.filter((l) => l.record === undefined)).toEqual([]);
    // Both may have computed the same sample: then its two lines hold the same record.
    const byKey = new Map<string, string>();
    for (const l of lines) {
      const v = JSON.stringify(l.record!.v);
      expect(byKey.get(l.record!.k) ?? v).toBe(v);
      byKey.set(l.record!.k, v);
    }
    expect(byKey.size).toBe(2 * ROWS);

    const third = await runCli(auditArgs(fx, ['-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`, '--out-dir', join(root, 'out-c')]), { env: { CONTAM_CACHE_DIR: cacheDir } });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).not.toMatch(/warning: cache/);
    const rc = readJson(join(root, 'out-c', 'results.json'));
    expect(benchmarksOf(rc).map((x) => [x.name, x.cacheHits])).toEqual([
      ['gsm8k', ROWS],
      ['arc', ROWS],
    ]);
    expect(rc.modelCalls).toBe(0);
    // And the cached numbers are the ones both concurrent runs reported.
    const byName = (r: Record<string, unknown>) => Object.fromEntries((comparable(r).benchmarks as { name: string }[]).map((x) => [x.name, x]));
    expect(byName(rc)).toEqual(byName(ra));
    expect(byName(rc)).toEqual(byName(rb));
  });
});
