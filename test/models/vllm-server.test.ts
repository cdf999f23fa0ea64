/**
 * The vLLM test server (test/helpers/vllm-server.ts) against an independent computation: prompt
 * log-probs and ranks from onnxruntime directly (runFixture), vLLM's limits and error bodies, seeded
 * sampling, auth, and every fault kind on its schedule. Plain fetch, no client code from src/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGpt2Fixture, type Gpt2Fixture } from '../fixtures/gpt2-fixture.js';
import { fixtureVocabulary } from '../../src/onnx/fixture-tokenizer.js';
import { estimateNgram } from '../../src/demo/ngram.js';
import { exportNgramModel } from '../../src/demo/export.js';
import { logitsAt, runFixture, sessionOptions } from '../helpers/fixture-session.js';
import { startVllmServer, type VllmServer, type VllmServerOptions } from '../helpers/vllm-server.js';

const root = mkdtempSync(join(tmpdir(), 'contam-vllm-server-'));
const small = { layers: 2, width: 32, heads: 2, context: 128, std: 0.2 } as const;
let optimum: Gpt2Fixture;
let stacked: Gpt2Fixture;
let noKv: Gpt2Fixture;
let demoDir: string;
const sessions = new Map<string, ort.InferenceSession>();

beforeAll(async () => {
  optimum = await writeGpt2Fixture(join(root, 'optimum'), { ...small, seed: 11 });
  stacked = await writeGpt2Fixture(join(root, 'stacked'), { ...small, seed: 12, kvConvention: 'stacked' });
  noKv = await writeGpt2Fixture(join(root, 'none'), { ...small, seed: 13, kvConvention: 'none', externalData: true });
  const words = ['red', 'green', 'blue', 'cat', 'dog', 'runs', 'sleeps', '.'];
  const vocabulary = fixtureVocabulary(words);
  const docs = [
    [2, 5, 7, 9],
    [3, 6, 8, 9],
    [2, 5, 7, 9],
    [4, 5, 8, 9],
  ];
  demoDir = join(root, 'demo');
  exportNgramModel(demoDir, estimateNgram(docs, vocabulary.length, { order: 4 }), vocabulary, { role: 'target', trainingTokens: 16, seed: 1 });
  for (const fixture of [optimum, stacked, noKv]) sessions.set(fixture.dir, await ort.InferenceSession.create(fixture.modelPath, sessionOptions));
  sessions.set(demoDir, await ort.InferenceSession.create(join(demoDir, 'model.onnx'), sessionOptions));
});

afterAll(async () => {
  for (const session of sessions.values()) await session.release();
  rmSync(root, { recursive: true, force: true });
});

/** Starts a server, runs `body`, always closes it. */
async function withServer<T>(options: Partial<VllmServerOptions>, body: (server: VllmServer) => Promise<T>): Promise<T> {
  const server = await startVllmServer({ models: [{ name: 'gpt2-fixture', dir: optimum.dir }], ...options });
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

const origin = (server: VllmServer): string => `http://127.0.0.1:${server.port}`;

async function post(server: VllmServer, path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  const response = await fetch(`${origin(server)}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as any) : undefined };
}

function logSoftmax64(row: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(row));
  const lse = max + Math.log(Array.from(row).reduce((a, x) => a + Math.exp(x - max), 0));
  return Array.from(row, (x) => x - lse);
}

/** Independent expectation: log-softmax rows of onnxruntime logits for a GPT-2 fixture. */
async function expectedRows(fixture: Gpt2Fixture, ids: number[]): Promise<number[][]> {
  const out = await runFixture(sessions.get(fixture.dir)!, fixture, { ids: [ids] });
  return ids.map((_, t) => logSoftmax64(logitsAt(out, 0, t)));
}

/**
 * The first key of every prompt_logprobs position of every choice, read from the raw body: JSON.parse
 * would reorder integer-like keys, and vLLM (a Python dict) writes the actual token first.
 */
function firstKeys(raw: string): string[][] {
  return raw
    .split('"prompt_logprobs":')
    .slice(1)
    .map((part) => {
      const list = part.slice(0, part.indexOf(']')); // positions hold no arrays
      return [...list.matchAll(/(?:^\[null,|\}\},)\{"(\d+)":/g)].map((m) => m[1]);
    });
}

/** Checks one prompt_logprobs list against float64 log-softmax rows: values, ranks, the top-k. */
function checkPromptLogprobs(got: any[], ids: number[], rows: number[][], k: number, first?: string[]): void {
  expect(got).toHaveLength(ids.length);
  expect(got[0]).toBeNull();
  // The actual token comes first, with its true vocab rank (ties count against it).
  if (first) expect(first).toEqual(ids.slice(1).map(String));
  for (let t = 1; t < ids.length; t++) {
    const row = rows[t - 1];
    const entry = got[t] as Record<string, { logprob: number; rank: number; decoded_token: string }>;
    const keys = Object.keys(entry);
    const actual = entry[String(ids[t])];
    expect(Math.abs(actual.logprob - row[ids[t]])).toBeLessThanOrEqual(1e-5);
    const topIds = row
      .map((lp, id) => [lp, id] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, k === -1 ? row.length : k)
      .map(([, id]) => id);
    const trueRank = row.filter((lp) => lp >= row[ids[t]]).length;
    const inTop = topIds.indexOf(ids[t]);
    expect(actual.rank).toBe(inTop === -1 ? trueRank : inTop + 1);
    expect(keys.length).toBe(topIds.length + (inTop === -1 ? 1 : 0));
    topIds.forEach((id, i) => {
      expect(entry[String(id)].rank).toBe(i + 1);
      expect(Math.abs(entry[String(id)].logprob - row[id])).toBeLessThanOrEqual(1e-5);
    });
  }
}

describe('vLLM test server: plain endpoints', () => {
  it('health, version, models (ModelCard with max_model_len), tokenize / detokenize', async () => {
    await withServer({ version: '0.11.0', maxModelLen: 96 }, async (server) => {
      const health = await fetch(`${origin(server)}/health`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('');
      expect(await (await fetch(`${origin(server)}/version`)).json()).toEqual({ version: '0.11.0' });
      const models = (await (await fetch(`${server.url}/models`)).json()) as any;
      expect(models.object).toBe('list');
      expect(models.data).toHaveLength(1);
      expect(models.data[0]).toMatchObject({ id: 'gpt2-fixture', object: 'model', owned_by: 'vllm', root: optimum.dir, parent: null, max_model_len: 96 });
      expect(models.data[0].permission[0]).toMatchObject({ object: 'model_permission', allow_logprobs: true, group: null });

      const tok = await post(server, '/tokenize', { prompt: 'the water is old', return_token_strs: true });
      expect(tok.status).toBe(200);
      expect(Object.keys(tok.json)).toEqual(['count', 'max_model_len', 'tokens', 'token_strs']);
      expect(tok.json.count).toBe(4);
      expect(tok.json.max_model_len).toBe(96);
      expect(tok.json.token_strs).toEqual(['the', 'water', 'is', 'old']);
      expect((await post(server, '/tokenize', { prompt: 'the' })).json.token_strs).toBeNull();
      const detok = await post(server, '/detokenize', { tokens: tok.json.tokens });
      expect(detok.json).toEqual({ prompt: 'the water is old' });
      expect((await fetch(`${origin(server)}/nothing`)).status).toBe(404);
    });
  });
});

describe('vLLM test server: numbers', () => {
  it('prompt_logprobs equal onnxruntime log-softmax (<= 1e-5), first entry null, true ranks, top-k ranks 1..k', async () => {
    await withServer({}, async (server) => {
      const text = 'the water is very old and good .';
      const tokens = (await post(server, '/tokenize', { prompt: text, add_special_tokens: false })).json.tokens as number[];
      const rows = await expectedRows(optimum, tokens);
      for (const k of [0, 1, 5, 20]) {
        const byText = await post(server, '/v1/completions', { model: 'gpt2-fixture', prompt: text, max_tokens: 1, prompt_logprobs: k, temperature: 0 });
        expect(byText.status).toBe(200);
        checkPromptLogprobs(byText.json.choices[0].prompt_logprobs, tokens, rows, k, firstKeys(byText.text)[0]);
      }
      // Token-id prompts, a batch of two: one choice each, in prompt order.
      const other = [5, 9, 200, 17, 3];
      const batch = await post(server, '/v1/completions', { prompt: [tokens, other], max_tokens: 2, prompt_logprobs: 3, temperature: 0, return_token_ids: true });
      expect(batch.status).toBe(200);
      expect(batch.json.choices.map((c: any) => c.index)).toEqual([0, 1]);
      expect(batch.json.choices[1].prompt_token_ids).toEqual(other);
      checkPromptLogprobs(batch.json.choices[0].prompt_logprobs, tokens, rows, 3, firstKeys(batch.text)[0]);
      checkPromptLogprobs(batch.json.choices[1].prompt_logprobs, other, await expectedRows(optimum, other), 3, firstKeys(batch.text)[1]);
      expect(batch.json.usage).toEqual({
        prompt_tokens: tokens.length + other.length,
        total_tokens: tokens.length + other.length + 4,
        completion_tokens: 4,
        prompt_tokens_details: null,
        completion_tokens_details: null,
      });
    });
  });

  it('the response has every field vLLM serialises, with nulls', async () => {
    await withServer({}, async (server) => {
      const r = await post(server, '/v1/completions', { prompt: 'the water', max_tokens: 2 });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json');
      expect(Object.keys(r.json)).toEqual(['id', 'object', 'created', 'model', 'choices', 'service_tier', 'system_fingerprint', 'usage', 'kv_transfer_params', 'ec_transfer_params', 'metrics']);
      expect(r.json.id).toMatch(/^cmpl-[0-9a-f]{32}$/);
      expect(r.json.object).toBe('text_completion');
      expect(r.json.model).toBe('gpt2-fixture');
      expect(Object.keys(r.json.choices[0])).toEqual(['index', 'text', 'logprobs', 'finish_reason', 'stop_reason', 'token_ids', 'prompt_logprobs', 'prompt_token_ids', 'routed_experts']);
      expect(r.json.choices[0]).toMatchObject({ index: 0, logprobs: null, prompt_logprobs: null, prompt_token_ids: null, token_ids: null });
      expect(r.json.usage.completion_tokens).toBeLessThanOrEqual(2);
    });
  });

  it('-1 gives every vocabulary entry when the cap allows, and 400 with vLLM\'s message at the default cap', async () => {
    const ids = [2, 40, 7, 99];
    await withServer({ maxLogprobs: -1 }, async (server) => {
      const r = await post(server, '/v1/completions', { prompt: ids, max_tokens: 1, prompt_logprobs: -1 });
      expect(r.status).toBe(200);
      const entries = r.json.choices[0].prompt_logprobs;
      for (let t = 1; t < ids.length; t++) expect(Object.keys(entries[t])).toHaveLength(optimum.dims.vocab);
      checkPromptLogprobs(entries, ids, await expectedRows(optimum, ids), -1, firstKeys(r.text)[0]);
    });
    await withServer({}, async (server) => {
      const r = await post(server, '/v1/completions', { prompt: ids, max_tokens: 1, prompt_logprobs: -1 });
      expect(r.status).toBe(400);
      expect(r.json.error.message).toContain(`Requested prompt logprobs of ${optimum.dims.vocab}, which is greater than max allowed: 20`);
      expect(r.json.error).toMatchObject({ type: 'BadRequestError', param: 'prompt_logprobs', code: 400 });
      const over = await post(server, '/v1/completions', { prompt: ids, max_tokens: 1, prompt_logprobs: 21 });
      expect(over.json.error.message).toContain('Requested prompt logprobs of 21, which is greater than max allowed: 20');
    });
  });

  it('echo + logprobs + max_tokens 0: the prompt back, a null first position, OpenAI-style logprobs', async () => {
    await withServer({}, async (server) => {
      const ids = [2, 40, 7, 99, 3];
      const rows = await expectedRows(optimum, ids);
      const r = await post(server, '/v1/completions', { prompt: ids, max_tokens: 0, echo: true, logprobs: 2 });
      expect(r.status).toBe(200);
      const choice = r.json.choices[0];
      const vocab = (await post(server, '/detokenize', { tokens: ids })).json.prompt as string;
      expect(choice.text).toBe(vocab);
      const lp = choice.logprobs;
      expect(lp.tokens).toEqual(vocab.split(' '));
      expect(lp.token_logprobs[0]).toBeNull();
      expect(lp.top_logprobs[0]).toBeNull();
      for (let t = 1; t < ids.length; t++) {
        expect(Math.abs(lp.token_logprobs[t] - rows[t - 1][ids[t]])).toBeLessThanOrEqual(1e-5);
        const keys = Object.keys(lp.top_logprobs[t]);
        expect(keys[0]).toBe(lp.tokens[t]);
        expect(keys.length === 2 || keys.length === 3).toBe(true);
      }
      let offset = 0;
      lp.tokens.forEach((token: string, i: number) => {
        expect(lp.text_offset[i]).toBe(offset);
        offset += token.length;
      });
      // prompt_logprobs := logprobs under echo, and usage counts the one token the engine ran.
      checkPromptLogprobs(choice.prompt_logprobs, ids, rows, 2, firstKeys(r.text)[0]);
      expect(r.json.usage.completion_tokens).toBe(1);
      const noEcho = await post(server, '/v1/completions', { prompt: ids, max_tokens: 0 });
      expect(noEcho.status).toBe(400);
      expect(noEcho.json.error.message).toBe('max_tokens must be at least 1, got 0. (parameter=max_tokens, value=0)');
    });
  });

  it('other model folders: stacked pasts, no KV, and the demo n-gram export (input_ids + attention_mask only)', async () => {
    const models = [
      { name: 'stacked', dir: stacked.dir },
      { name: 'none', dir: noKv.dir },
      { name: 'demo', dir: demoDir },
    ];
    await withServer({ models }, async (server) => {
      const ids = [2, 5, 7, 9, 3];
      for (const fixture of [stacked, noKv]) {
        const name = fixture === stacked ? 'stacked' : 'none';
        const r = await post(server, '/v1/completions', { model: name, prompt: ids, max_tokens: 1, prompt_logprobs: 4 });
        expect(r.status).toBe(200);
        expect(r.json.model).toBe(name);
        checkPromptLogprobs(r.json.choices[0].prompt_logprobs, ids, await expectedRows(fixture, ids), 4, firstKeys(r.text)[0]);
      }
      const session = sessions.get(demoDir)!;
      const feeds = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
      };
      const logits = (await session.run(feeds)).logits;
      const V = logits.dims[2];
      const rows = ids.map((_, t) => logSoftmax64((logits.data as Float32Array).subarray(t * V, (t + 1) * V)));
      const r = await post(server, '/v1/completions', { model: 'demo', prompt: 'red cat runs . green', max_tokens: 1, prompt_logprobs: 3, add_special_tokens: false });
      expect(r.status).toBe(200);
      checkPromptLogprobs(r.json.choices[0].prompt_logprobs, ids, rows, 3, firstKeys(r.text)[0]);
      expect((await (await fetch(`${server.url}/models`)).json() as any).data.map((m: any) => m.max_model_len)).toEqual([128, 128, 512]);
    });
  });
});

describe('vLLM test server: sampling', () => {
  it('seeded: same seed, same tokens; child i of n equals a single request seeded seed + i; batch choice order', async () => {
    await withServer({}, async (server) => {
      const body = { prompt: 'the water is', max_tokens: 8, n: 3, seed: 1234, temperature: 1.0, return_token_ids: true, ignore_eos: true };
      const a = await post(server, '/v1/completions', body);
      const b = await post(server, '/v1/completions', body);
      expect(a.status).toBe(200);
      const tokens = (r: typeof a) => r.json.choices.map((c: any) => c.token_ids);
      expect(tokens(a)).toEqual(tokens(b));
      expect(tokens(a).every((t: number[]) => t.length === 8)).toBe(true);
      expect(new Set(tokens(a).map((t: number[]) => t.join(','))).size).toBeGreaterThan(1);
      for (let i = 0; i < 3; i++) {
        const single = await post(server, '/v1/completions', { ...body, n: 1, seed: 1234 + i });
        expect(single.json.choices[0].token_ids).toEqual(a.json.choices[i].token_ids);
        expect(single.json.choices[0].text).toBe(a.json.choices[i].text);
      }
      // Two prompts x n = 2: prompt 0's children first, indices 0..3; each prompt seeded alike.
      const batch = await post(server, '/v1/completions', { ...body, prompt: ['the water is', 'the water is'], n: 2 });
      expect(batch.json.choices.map((c: any) => c.index)).toEqual([0, 1, 2, 3]);
      expect(batch.json.choices[2].token_ids).toEqual(a.json.choices[0].token_ids);
      expect(batch.json.choices[3].token_ids).toEqual(a.json.choices[1].token_ids);
      // Unseeded requests differ (8 tokens over 256 words at temperature 2).
      const free = await post(server, '/v1/completions', { prompt: 'the water is', max_tokens: 8, n: 2, temperature: 2, return_token_ids: true, ignore_eos: true });
      expect(free.json.choices[0].token_ids).not.toEqual(free.json.choices[1].token_ids);
      // Greedy with n > 1 is refused.
      const greedy = await post(server, '/v1/completions', { prompt: 'the', n: 2, temperature: 0 });
      expect(greedy.status).toBe(400);
      expect(greedy.json.error).toEqual({ message: 'n must be 1 when using greedy sampling, got 2.', type: 'BadRequestError', param: null, code: 400 });
    });
  });

  it('greedy follows the argmax; generated logprobs carry the sampled token and the top-k', async () => {
    await withServer({}, async (server) => {
      const ids = [2, 40, 7];
      const r = await post(server, '/v1/completions', { prompt: ids, max_tokens: 3, temperature: 0, logprobs: 3, return_token_ids: true, ignore_eos: true });
      const out = r.json.choices[0].token_ids as number[];
      expect(out).toHaveLength(3);
      let context = [...ids];
      for (let i = 0; i < out.length; i++) {
        const rows = await expectedRows(optimum, context);
        const last = rows[rows.length - 1];
        expect(out[i]).toBe(last.indexOf(Math.max(...last)));
        const top = Object.values(r.json.choices[0].logprobs.top_logprobs[i]) as number[];
        expect(top.length).toBeGreaterThanOrEqual(3);
        expect(Math.abs(r.json.choices[0].logprobs.token_logprobs[i] - last[out[i]])).toBeLessThanOrEqual(1e-5);
        context = [...context, out[i]];
      }
      expect(r.json.choices[0].finish_reason).toBe('length');
      // A stop token id ends the choice with stop_reason = that id, at its first occurrence (greedy
      // output may repeat a token).
      const stopped = await post(server, '/v1/completions', { prompt: ids, max_tokens: 3, temperature: 0, stop_token_ids: [out[1]], return_token_ids: true });
      expect(stopped.json.choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: out[1], token_ids: out.slice(0, out.indexOf(out[1]) + 1) });
    });
  });
});

describe('vLLM test server: errors and auth', () => {
  it('404 unknown model, 400 context length, 400 validation, 401 without the key', async () => {
    await withServer({ apiKey: 'sekret', maxModelLen: 32 }, async (server) => {
      const auth = { authorization: 'Bearer sekret' };
      const missing = await post(server, '/v1/completions', { model: 'nope', prompt: 'the' }, auth);
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ error: { message: 'The model `nope` does not exist.', type: 'NotFoundError', param: 'model', code: 404 } });

      const long = Array.from({ length: 30 }, (_, i) => 2 + i);
      const context = await post(server, '/v1/completions', { prompt: long, max_tokens: 5 }, auth);
      expect(context.status).toBe(400);
      expect(context.json.error).toEqual({
        message:
          "This model's maximum context length is 32 tokens. However, you requested 5 output tokens and your prompt contains 30 input tokens, " +
          'for a total of 35 tokens. Please reduce the length of the input prompt or the number of requested output tokens. (parameter=input_tokens, value=30)',
        type: 'BadRequestError',
        param: 'input_tokens',
        code: 400,
      });
      expect((await post(server, '/v1/completions', { prompt: long, max_tokens: 2 }, auth)).status).toBe(200);

      const badK = await post(server, '/v1/completions', { prompt: 'the', prompt_logprobs: -2 }, auth);
      expect(badK.status).toBe(400);
      expect(badK.json.error.type).toBe('Bad Request');
      expect(badK.json.error.param).toBe('prompt_logprobs');
      expect(badK.json.error.message).toContain('`prompt_logprobs` must be a positive value or -1.');
      const badTemp = await post(server, '/v1/completions', { prompt: 'the', temperature: 2.5 }, auth);
      expect(badTemp.json.error.message).toBe('temperature must be in [0, 2], got 2.5. (parameter=temperature, value=2.5)');

      const refused: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic sekret' }];
      for (const headers of refused) {
        for (const path of ['/v1/completions', '/tokenize']) {
          const r = await post(server, path, { prompt: 'the' }, headers);
          expect(r.status).toBe(401);
          expect(r.json).toEqual({ error: 'Unauthorized' });
        }
        expect((await fetch(`${server.url}/models`, { headers })).status).toBe(401);
      }
      expect((await fetch(`${origin(server)}/health`)).status).toBe(200);
      expect((await fetch(`${origin(server)}/version`)).status).toBe(200);
      expect((await fetch(`${server.url}/models`, { headers: auth })).status).toBe(200);
      expect((await post(server, '/tokenize', { prompt: 'the' }, { authorization: 'bearer sekret' })).status).toBe(200);
      expect(server.log.some((entry) => entry.headers.authorization === 'Bearer wrong' && entry.path === '/tokenize')).toBe(true);
    });
  });
});

describe('vLLM test server: faults', () => {
  it('each fault kind happens on its schedule; other requests are answered normally', async () => {
    const faults = {
      rules: [
        { at: [1], fault: { kind: 'rate_limit', retryAfter: 2 } },
        { at: [2], fault: 'server_error' },
        { at: [3], fault: { kind: 'unavailable', retryAfter: 1 } },
        { at: [4], fault: 'reset' },
        { at: [5], fault: 'truncated' },
        { at: [6], fault: { kind: 'stall', stallMs: 2_000 } },
        { route: 'tokenize', every: 3, burst: 2, fault: 'rate_limit' },
      ],
    } as const;
    await withServer({ faults }, async (server) => {
      const body = { prompt: 'the water', max_tokens: 1, prompt_logprobs: 1 };
      const limited = await post(server, '/v1/completions', body);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      expect(limited.json.error.code).toBe(429);
      const failed = await post(server, '/v1/completions', body);
      expect(failed.status).toBe(500);
      expect(failed.json).toEqual({ error: { message: 'Internal server error', type: 'InternalServerError', param: null, code: 500 } });
      const unavailable = await post(server, '/v1/completions', body);
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get('retry-after')).toBe('1');
      await expect(post(server, '/v1/completions', body)).rejects.toThrow();

      const truncated = await fetch(`${origin(server)}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(truncated.status).toBe(200);
      expect(truncated.headers.get('content-type')).toBe('application/json');
      await expect(truncated.text()).rejects.toThrow();

      const started = Date.now();
      const stalled = post(server, '/v1/completions', body, {}, AbortSignal.timeout(200));
      await expect(stalled).rejects.toThrow(/abort|timeout/i);
      expect(Date.now() - started).toBeLessThan(1_500);

      const fine = await post(server, '/v1/completions', body);
      expect(fine.status).toBe(200);
      expect(fine.json.choices[0].prompt_logprobs[0]).toBeNull();

      const statuses: number[] = [];
      for (let i = 1; i <= 7; i++) statuses.push((await post(server, '/tokenize', { prompt: 'the' })).status);
      expect(statuses).toEqual([200, 200, 429, 429, 200, 429, 429]);

      expect(server.stats.faults).toEqual({ rate_limit: 5, server_error: 1, unavailable: 1, reset: 1, truncated: 1, stall: 1 });
      expect(server.stats.requests['/v1/completions']).toBe(7);
      expect(server.stats.requests['/tokenize']).toBe(7);
    });
  });

  it('close() ends a stalled request promptly', async () => {
    const server = await startVllmServer({ models: [{ name: 'm', dir: optimum.dir }], faults: { rules: [{ every: 1, fault: { kind: 'stall', stallMs: 60_000, stallAfterHeaders: true } }] } });
    const pending = fetch(`${server.url}/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"prompt":"the"}' }).then(
      (r) => r.text(),
    );
    for (let i = 0; i < 300 && !server.stats.faults.stall; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.stats.faults.stall).toBe(1);
    const started = Date.now();
    await server.close();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
