/**
 * The remote backend against a loopback server that answers in vLLM's wire format, computing its
 * numbers from a fixture ONNX model through onnxruntime (test/helpers/vllm-server.ts): token scores
 * equal the local backend's on the same weights, the full distribution is exact when the server allows
 * it and refused by name when it does not, and every failure is one line naming the URL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitDetectors } from '../../src/audit/run.js';
import type { AuditConfig } from '../../src/audit/types.js';
import type { ModelBackend } from '../../src/models/backend.js';
import { openOnnxBackend } from '../../src/models/onnx/backend.js';
import { openRemoteBackend } from '../../src/models/remote/backend.js';
import { writeGpt2Fixture } from '../fixtures/gpt2-fixture.js';
import { startVllmServer, type VllmServer } from '../helpers/vllm-server.js';

const TEXTS = ['the water is very old and good near the house .', 'old good water', 'the house is near the water , the water is old .'];

let root: string;
let dir: string;
let capped: VllmServer;
let full: VllmServer;
let local: ModelBackend;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'contam-remote-'));
  dir = join(root, 'model');
  await writeGpt2Fixture(dir, { layers: 2, width: 32, heads: 2, context: 64, std: 0.2, seed: 5 });
  capped = await startVllmServer({ models: [{ name: 'fixture', dir }] });
  full = await startVllmServer({ models: [{ name: 'fixture', dir }], maxLogprobs: -1 });
  local = await openOnnxBackend(dir);
}, 60_000);

afterAll(async () => {
  await local?.close();
  await capped?.close();
  await full?.close();
  rmSync(root, { recursive: true, force: true });
});

function expectClose(a: Float64Array, b: Float64Array, tolerance: number) {
  expect(a.length).toBe(b.length);
  for (let t = 1; t < a.length; t++) expect(Math.abs(a[t] - b[t])).toBeLessThan(tolerance);
}

describe('remote backend against a vLLM-format loopback server', () => {
  it('tokenizes like the local tokenizer and scores each token within 1e-4 of the local backend (prompt_logprobs: 0)', async () => {
    const remote = await openRemoteBackend({ url: capped.url });
    const ids = await remote.tokenize(TEXTS);
    expect(ids).toEqual(await local.tokenize(TEXTS));
    const [r, l] = [await remote.score(ids, { distribution: false }), await local.score(ids, { distribution: false })];
    r.forEach((s, i) => expectClose(s.logprob, l[i].logprob, 1e-4));
    const body = JSON.parse(capped.log.filter((e) => e.path === '/v1/completions').at(-1)!.body);
    expect(body).toMatchObject({ prompt: ids, prompt_logprobs: 0, max_tokens: 1 });
  });

  it('computes the mean and std of log p exactly from the whole vocabulary when the server allows -1', async () => {
    const remote = await openRemoteBackend({ url: full.url });
    expect(remote.capabilities.distribution).toBe(true);
    expect(remote.probe).toMatchObject({ maxLogprobs: -1, vocabSize: 256, model: 'fixture', maxModelLen: 64 });
    const ids = await remote.tokenize(TEXTS);
    const [r, l] = [await remote.score(ids, { distribution: true }), await local.score(ids, { distribution: true })];
    r.forEach((s, i) => {
      expectClose(s.logprob, l[i].logprob, 1e-4);
      expectClose(s.mean, l[i].mean, 1e-4);
      expectClose(s.std, l[i].std, 1e-4);
    });
  });

  it("reads vLLM's --max-logprobs cap and the vocabulary from its refusal, and names the setting", async () => {
    const remote = await openRemoteBackend({ url: capped.url });
    expect(remote.probe).toMatchObject({ maxLogprobs: 20, vocabSize: 256 });
    expect(remote.capabilities.distribution).toBe(false);
    expect(remote.capabilities.distributionHint).toBe(`${capped.url} allows 20 log-probs per position (vLLM --max-logprobs 20); restart it with --max-logprobs -1 for the whole next-token distribution`);
  });

  it('refuses Min-K%++ at plan time in one line when asked for, and drops it from the default list with a note', async () => {
    const remote = await openRemoteBackend({ url: capped.url });
    const config = { detectors: ['loss', 'min-k-plus-plus'] } as unknown as AuditConfig;
    expect(() => fitDetectors(config, remote, local)).toThrow(
      `min-k-plus-plus needs the whole next-token distribution at every position: ${capped.url} allows 20 log-probs per position (vLLM --max-logprobs 20); restart it with --max-logprobs -1 for the whole next-token distribution; or leave min-k-plus-plus out of --detectors`,
    );
    const fitted = fitDetectors({ ...config, detectors: ['min-k-plus-plus', 'loss', 'min-k'], defaultDetectors: true }, local, remote);
    expect(fitted.config.detectors).toEqual(['loss', 'min-k']);
    expect(fitted.notes[0]).toMatch(/^min-k-plus-plus left out of the default detectors: .*--max-logprobs -1.*\. Primary detector: loss\.$/);
  });

  it('a server that gives the whole distribution keeps Min-K%++ when asked for, and leaves it out of the defaults for its cost', async () => {
    const remote = await openRemoteBackend({ url: full.url });
    const asked = { detectors: ['min-k-plus-plus', 'loss'] } as unknown as AuditConfig;
    expect(fitDetectors(asked, remote, local)).toEqual({ config: asked, notes: [] });
    const fitted = fitDetectors({ ...asked, defaultDetectors: true }, local, remote);
    expect(fitted.config.detectors).toEqual(['loss']);
    expect(fitted.notes[0]).toBe(
      `min-k-plus-plus left out of the default detectors: ${full.url} would send every one of 256 vocabulary entries' log-probs at every position (about 18 kB of JSON per position); name it in --detectors to include it. Primary detector: loss.`,
    );
  });

  it('samples n continuations with the seed, each as the prefix text followed by the continuation', async () => {
    const remote = await openRemoteBackend({ url: capped.url });
    const [prefix] = await remote.tokenize(['the water is']);
    const options = { n: 4, maxNewTokens: 6, minNewTokens: 1, temperature: 1, topK: 50, topP: 1, seed: 7 };
    const a = await remote.sample({ ids: prefix, text: 'the water is' }, options);
    expect(a).toHaveLength(4);
    for (const text of a) expect(text.startsWith('the water is')).toBe(true);
    expect(await remote.sample({ ids: prefix, text: 'the water is' }, options)).toEqual(a);
    const body = JSON.parse(capped.log.filter((e) => e.path === '/v1/completions').at(-1)!.body);
    expect(body).toMatchObject({ n: 4, seed: 7, temperature: 1, top_k: 50, top_p: 1, min_p: 0, max_tokens: 6, min_tokens: 1 });
  });

  it('a local tokenizer.json is checked against the server on a probe text', async () => {
    const remote = await openRemoteBackend({ url: capped.url, tokenizer: dir });
    expect(remote.probe.tokenizer).toMatchObject({ source: 'local', matchesServer: true });
    const other = join(root, 'other');
    await writeGpt2Fixture(other, { layers: 1, width: 8, heads: 2, words: ['a', 'b', 'c'] });
    await expect(openRemoteBackend({ url: capped.url, tokenizer: join(other, 'tokenizer.json') })).rejects.toThrow(/does not tokenize like .*a probe text gives \d+ tokens locally and \d+ on the server/);
  });

  it('one line for a wrong model name, a server that is down, and a text too long for max_model_len', async () => {
    await expect(openRemoteBackend({ url: capped.url, model: 'gpt-5' }, {}, 'target')).rejects.toThrow(`${capped.url} does not serve "gpt-5"; it serves fixture (--target-model)`);
    const down = await startVllmServer({ models: [{ name: 'fixture', dir }] });
    const url = down.url;
    await down.close();
    await expect(openRemoteBackend({ url }, { retryDelay: 0.01 })).rejects.toThrow(`${url.replace(/\/v1$/, '')}/v1/models: connection refused (is the server running?) (gave up after 3 attempts)`);
    const remote = await openRemoteBackend({ url: capped.url });
    await expect(remote.score([Array.from({ length: 80 }, () => 5)], { distribution: false })).rejects.toThrow(`text has 80 tokens; ${capped.url} serves "fixture" with max_model_len 64`);
  });
});

/** A server like `target` but without the routes named: they answer 404, as FastAPI does for a route it lacks. */
async function withoutRoutes(target: VllmServer, missing: readonly string[]): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (missing.includes(path)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await fetch(`http://127.0.0.1:${target.port}${req.url}`, { method: req.method, headers: { 'content-type': 'application/json' }, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((done) => server.close(() => done())) };
}

describe('remote backend on servers with less than vLLM', () => {
  it('without /tokenize or /version: ids come from the prompt_token_ids of a completions answer, scores unchanged', async () => {
    const proxy = await withoutRoutes(capped, ['/tokenize', '/detokenize', '/version']);
    try {
      const remote = await openRemoteBackend({ url: proxy.url });
      expect(remote.probe.tokenizer.source).toBe('completions');
      expect(remote.probe.engineVersion).toBeNull();
      const ids = await remote.tokenize(TEXTS);
      expect(ids).toEqual(await local.tokenize(TEXTS));
      const [r, l] = [await remote.score(ids, { distribution: false }), await local.score(ids, { distribution: false })];
      r.forEach((s, i) => expectClose(s.logprob, l[i].logprob, 1e-4));
      // Token texts come from the log-probs' decoded tokens (a token never met would be shown as ⟨id⟩).
      const shown = await remote.tokenTexts(ids[0]);
      for (const text of shown.slice(1)) expect(text).not.toMatch(/^⟨\d+⟩$/);
    } finally {
      await proxy.close();
    }
  });
});
