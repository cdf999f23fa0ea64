/**
 * contam audit with models served over HTTP in vLLM's wire format (a loopback server computing from
 * the same ONNX fixtures, test/helpers/vllm-server.ts), run through the built CLI as a user would:
 * - a remote target with a local reference gives the local audit's per-sample scores within 1e-4 and
 *   its flags exactly (the neighbours are the same: the local reference writes them);
 * - with both models remote the originals' scores still agree; the neighbours are the engine's draws;
 * - 429s, 500s, resets, stalls and truncated JSON every few requests change nothing in the results;
 * - the API key appears in no output, cache file or report; failures are one line naming the URL.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';
import { startVllmServer, type FaultPlan, type VllmServer } from '../helpers/vllm-server.js';
import { comparable, readJson, runCli, tempDir, type CliRun } from '../reliability/cli-helpers.js';

const KEY = 'sk-contam-test-7f3a9c2e5b1d4e8f';
const DETECTORS = 'loss,zlib,lowercase,min-k,min-k-plus-plus';

let root: string;
let fx: AuditFixture;
const servers: VllmServer[] = [];

interface SampleLine {
  id: string;
  scores: Record<string, number>;
  controlScores: Record<string, number>;
  flags: Record<string, boolean>;
  controlFlags: Record<string, boolean>;
  ranks: Record<string, number>;
}

function samples(dir: string): SampleLine[] {
  return readFileSync(join(dir, 'samples.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SampleLine);
}

async function serve(name: string, dir: string, extra: { faults?: FaultPlan; apiKey?: string } = {}): Promise<VllmServer> {
  const server = await startVllmServer({ models: [{ name, dir }], maxLogprobs: -1, apiKey: KEY, ...extra });
  servers.push(server);
  return server;
}

function audit(target: string, reference: string, out: string, extra: string[] = [], env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(
    ['audit', '--target', target, '--reference', reference, '-b', `gsm8k=${fx.gsm8k}`, '-n', '6', '--neighbours', '20', '-d', DETECTORS, '--out-dir', out, '--fail-on', 'never', ...extra],
    { env: { CONTAM_API_KEY: KEY, ...env }, cwd: root },
  );
}

function expectScoresClose(a: SampleLine[], b: SampleLine[], field: 'scores' | 'controlScores') {
  expect(a.map((s) => s.id)).toEqual(b.map((s) => s.id));
  a.forEach((s, i) => {
    for (const [key, value] of Object.entries(s[field])) {
      const other = b[i][field][key];
      if (Number.isNaN(value)) expect(other).toBeNaN();
      else expect(Math.abs(value - other), `${s.id} ${field} ${key}`).toBeLessThan(1e-4);
    }
  });
}

let localRun: string;

beforeAll(async () => {
  root = tempDir('remote-audit');
  fx = await writeAuditFixture(join(root, 'fx'), { rows: 8 });
  // retryDelay keeps the fault tests quick; the backing-off itself is what they exercise.
  writeFileSync(join(root, 'contam.config.yaml'), 'remote:\n  retryDelay: 0.01\n');
  localRun = join(root, 'local');
  const run = await audit(fx.target, fx.reference, localRun);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
});

describe('contam audit against vLLM-format servers', () => {
  it('remote target, local reference: per-sample scores within 1e-4 and flags identical to the local audit', async () => {
    const target = await serve('fixture-target', fx.target);
    const out = join(root, 'remote-target');
    const run = await audit(target.url, fx.reference, out);
    expect(run.code, run.stderr).toBe(0);
    const [remote, local] = [samples(out), samples(localRun)];
    expectScoresClose(remote, local, 'scores');
    expectScoresClose(remote, local, 'controlScores');
    expect(remote.map((s) => s.flags)).toEqual(local.map((s) => s.flags));
    expect(remote.map((s) => s.controlFlags)).toEqual(local.map((s) => s.controlFlags));
    const results = readJson(join(out, 'results.json')) as { models: { target: Record<string, unknown> } };
    expect(results.models.target).toMatchObject({ kind: 'remote', id: 'fixture-target', location: target.url, weightsHashed: false, details: { engineVersion: '0.11.0', maxLogprobs: -1 } });
    expect((results.models.target.traffic as { requests: number }).requests).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('remote weights not hashed');
  }, 120_000);

  it("both remote: the originals' scores agree within 1e-4 under both models; neighbours come from the engine", async () => {
    const [target, reference] = [await serve('fixture-target', fx.target), await serve('fixture-reference', fx.reference)];
    const out = join(root, 'both-remote');
    const run = await audit(target.url, reference.url, out);
    expect(run.code, run.stderr).toBe(0);
    expectScoresClose(samples(out), samples(localRun), 'scores');
    expectScoresClose(samples(out), samples(localRun), 'controlScores');
    const sampling = reference.log.filter((e) => e.path === '/v1/completions').map((e) => JSON.parse(e.body) as Record<string, unknown>).filter((b) => typeof b.n === 'number' && b.n > 1);
    expect(sampling.length).toBeGreaterThan(0);
    for (const body of sampling) expect(body).toMatchObject({ temperature: 1, top_k: 50, top_p: 1, min_p: 0, min_tokens: 1 });
    // A rerun is served from the cache: no model call, same results.
    const again = await audit(target.url, reference.url, join(root, 'both-remote-2'), ['--cache-dir', join(root, 'cache-both')]);
    const third = await audit(target.url, reference.url, join(root, 'both-remote-3'), ['--cache-dir', join(root, 'cache-both')]);
    expect(again.code, again.stderr).toBe(0);
    expect((readJson(join(root, 'both-remote-3', 'results.json')) as { modelCalls: number }).modelCalls).toBe(0);
    expect(third.code).toBe(0);
    expect(samples(join(root, 'both-remote-3'))).toEqual(samples(join(root, 'both-remote-2')));
  }, 180_000);

  it('429, 500, 503, resets, a stall and truncated JSON every few requests: results identical to a fault-free run; the key is nowhere', async () => {
    // About a third of requests fail; with 20 retries a request that never gets through is a one-in-10^9 event.
    const faults: FaultPlan = {
      rules: [
        { route: 'completions', every: 6, fault: { kind: 'rate_limit', retryAfter: 0 } },
        { route: 'completions', every: 10, fault: 'server_error' },
        { route: 'completions', every: 15, fault: 'reset' },
        { route: 'completions', every: 21, fault: 'truncated' },
        { route: 'completions', every: 25, fault: 'unavailable' },
        { route: 'completions', at: [17], fault: { kind: 'stall', stallMs: 5000 } },
        { route: 'tokenize', every: 8, fault: 'reset' },
        { route: 'tokenize', every: 11, fault: 'truncated' },
      ],
    };
    const clean = [await serve('fixture-target', fx.target), await serve('fixture-reference', fx.reference)];
    const faulty = [await serve('fixture-target', fx.target, { faults }), await serve('fixture-reference', fx.reference, { faults })];
    const cacheDir = join(root, 'cache-faults');
    const [a, b] = [join(root, 'clean'), join(root, 'faulty')];
    const runA = await audit(clean[0].url, clean[1].url, a);
    const runB = await audit(faulty[0].url, faulty[1].url, b, ['--cache-dir', cacheDir, '--request-timeout', '1', '--retries', '20']);
    expect(runA.code, runA.stderr).toBe(0);
    expect(runB.code, runB.stderr).toBe(0);
    const faultsSeen = faulty.flatMap((s) => Object.values(s.stats.faults)).reduce((x, y) => x + y, 0);
    expect(faultsSeen).toBeGreaterThan(10);
    expect(samples(b)).toEqual(samples(a));
    const strip = (dir: string) => {
      const r = comparable(readJson(join(dir, 'results.json'))) as { models: Record<string, Record<string, unknown>>; config: Record<string, unknown> };
      for (const m of Object.values(r.models)) {
        delete m.traffic;
        delete m.location;
        delete m.fingerprint;
      }
      delete r.config.target;
      delete r.config.reference;
      delete r.config.remote;
      return r;
    };
    expect(strip(b)).toEqual(strip(a));
    const traffic = (readJson(join(b, 'results.json')) as { models: { target: { traffic: { retries: number; retryCauses: Record<string, number> } } } }).models.target.traffic;
    expect(traffic.retries).toBeGreaterThan(0);
    expect(Object.keys(traffic.retryCauses)).toEqual(expect.arrayContaining(['429', '500']));
    // The key: sent in every request's header, and nowhere else.
    expect(faulty[0].log.every((e) => e.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    for (const file of [...files(b), ...files(cacheDir)]) expect(readFileSync(file, 'utf8').includes(KEY), file).toBe(false);
    expect(`${runB.stdout}${runB.stderr}`.includes(KEY)).toBe(false);
  }, 240_000);

  it('a server that fails mid-audit: one line, finished samples kept, and a rerun finishes with the fault-free results', async () => {
    // The target's 20th completions request fails, one sample at a time and no retry allowed: the audit stops a few samples in.
    const target = await serve('fixture-target', fx.target, { faults: { rules: [{ route: 'completions', at: [20], fault: 'server_error' }] } });
    const cacheDir = join(root, 'cache-midway');
    const first = await audit(target.url, fx.reference, join(root, 'midway-1'), ['--cache-dir', cacheDir, '--retries', '0', '--concurrency', '1']);
    expect(first.code, first.stderr).toBe(1);
    // The plain log's progress lines, then one error line, and no stack trace.
    const lines = first.stderr.trim().split('\n').filter((l) => l.startsWith('contam: http'));
    expect(lines).toHaveLength(1);
    expect(first.stderr).not.toMatch(/^\s+at /m);
    expect(first.stderr.trim().split('\n').at(-1)).toBe(lines[0]);
    expect(lines[0]).toMatch(/^contam: http:\/\/127\.0\.0\.1:\d+\/v1\/completions: HTTP 500: .* \(gave up after 1 attempt\); finished samples are in the cache, so a rerun resumes$/);
    const second = await audit(target.url, fx.reference, join(root, 'midway-2'), ['--cache-dir', cacheDir]);
    expect(second.code, second.stderr).toBe(0);
    const out = readJson(join(root, 'midway-2', 'results.json')) as { benchmarks: { cacheHits: number }[] };
    expect(out.benchmarks[0].cacheHits, first.stderr).toBeGreaterThan(0);
    const [resumed, local] = [samples(join(root, 'midway-2')), samples(localRun)];
    expectScoresClose(resumed, local, 'scores');
    expect(resumed.map((s) => s.flags)).toEqual(local.map((s) => s.flags));
  }, 120_000);

  it('a refused key, a wrong model name, a server that is down and persistently malformed JSON: one line each, no stack trace, no key', async () => {
    const server = await serve('fixture-target', fx.target);
    const out = join(root, 'errors');
    const refused = await audit(server.url, fx.reference, out, [], { CONTAM_API_KEY: 'wrong-key-123' });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(
      `contam: ${server.url}: the server refused the API key (HTTP 401 Unauthorized); set CONTAM_API_KEY or OPENAI_API_KEY (or apiKeyEnv) to the key it was started with`,
    );
    const wrongModel = await audit(server.url, fx.reference, out, ['--target-model', 'solar-base']);
    expect(wrongModel.stderr.trim()).toBe(`contam: ${server.url} does not serve "solar-base"; it serves fixture-target (--target-model)`);
    const down = await startVllmServer({ models: [{ name: 'x', dir: fx.target }] });
    await down.close();
    const downRun = await audit(down.url, fx.reference, out);
    expect(downRun.code).toBe(1);
    expect(downRun.stderr.trim()).toMatch(/^contam: http:\/\/127\.0\.0\.1:\d+\/v1\/models: connection refused \(is the server running\?\) \(gave up after 3 attempts\)$/);
    const broken = await serve('fixture-target', fx.target, { faults: { rules: [{ route: 'completions', every: 1, fault: 'truncated' }] } });
    const brokenRun = await audit(broken.url, fx.reference, out, ['--retries', '1']);
    expect(brokenRun.code).toBe(1);
    expect(brokenRun.stderr.trim().split('\n')).toHaveLength(1);
    expect(brokenRun.stderr).toMatch(/^contam: http:\/\/127\.0\.0\.1:\d+\/v1\/completions: (the answer is not valid JSON|the connection was reset).*gave up after 2 attempts/);
    for (const run of [refused, wrongModel, downRun, brokenRun]) {
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(`${run.stdout}${run.stderr}`).not.toContain('wrong-key-123');
      expect(`${run.stdout}${run.stderr}`).not.toContain(KEY);
    }
  }, 120_000);

  it('contam inspect <url> shows the served model, its limits and what contam can do with it', async () => {
    const capped = await startVllmServer({ models: [{ name: 'solar-base', dir: fx.target }] });
    servers.push(capped);
    const run = await runCli(['inspect', capped.url, '--tokenizer', fx.target], { cwd: root });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('model         solar-base');
    expect(run.stdout).toContain('log-probs     20 per position (--max-logprobs 20)');
    expect(run.stdout).toContain('matches the server on a probe text');
    expect(run.stdout).toContain('all but min-k-plus-plus: ');
    const json = JSON.parse((await runCli(['inspect', capped.url, '--json'], { cwd: root })).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ model: 'solar-base', maxModelLen: 128, maxLogprobs: 20, vocabSize: 256, capabilities: { fullDistribution: false } });
  }, 60_000);
});
