/**
 * A model served by vLLM (or an engine speaking its /v1/completions with prompt log-probs) behind
 * the model-backend seam. Opening asks the server what it serves (/v1/models, /version), checks the
 * tokenizer (the server's /tokenize, or a local tokenizer.json verified against it on a probe text)
 * and probes how many prompt log-probs per position it allows, which decides whether Min-K%++'s full
 * distribution can be had. Scoring sends token ids, so the server scores exactly the tokens contam chose.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FatalError } from '../../errors.js';
import { ModelOutputError, type BackendInfo, type ModelBackend } from '../backend.js';
import { loadTokenizer } from '../tokenizer.js';
import type { SampleOptions, TokenScores, Tokenizer } from '../types.js';
import { DEFAULT_CLIENT, EngineClient, EngineHttpError, type ClientOptions } from './client.js';
import { choicesOf, isContextError, logprobCap, sampleBody, sampledTexts, scoreBody, tokenScores, WireError } from './wire.js';

export interface RemoteSpec {
  /** Base URL, e.g. http://127.0.0.1:8000/v1 (a bare http://host:port gets /v1). */
  readonly url: string;
  /** Served model name; default the one /v1/models lists. */
  readonly model?: string;
  /** Environment variable holding the API key; default CONTAM_API_KEY, then OPENAI_API_KEY. */
  readonly apiKeyEnv?: string;
  /** A local tokenizer.json to tokenize with instead of the server's /tokenize (verified against it). */
  readonly tokenizer?: string;
}

/** As the config writes them: seconds, not milliseconds. */
export interface RemoteOptions {
  readonly concurrency?: number;
  readonly timeout?: number;
  readonly retries?: number;
  readonly retryDelay?: number;
}

function clientOptions(o: RemoteOptions): ClientOptions {
  return {
    concurrency: o.concurrency ?? DEFAULT_CLIENT.concurrency,
    timeoutMs: o.timeout !== undefined ? o.timeout * 1000 : DEFAULT_CLIENT.timeoutMs,
    retries: o.retries ?? DEFAULT_CLIENT.retries,
    retryBaseMs: o.retryDelay !== undefined ? o.retryDelay * 1000 : DEFAULT_CLIENT.retryBaseMs,
  };
}

/** Most prompts and tokens in one scoring request: vLLM takes up to 1024 prompts, each its own engine request. */
const MAX_PROMPTS = 16;
const MAX_REQUEST_TOKENS = 8192;
const PROBE_TEXT = 'The quick brown fox jumps over the lazy dog. 1234 + 5678 = 6912; naïve café, “quotes”.\n\tend';

export interface RemoteBackend extends ModelBackend {
  /** Facts found when opening, for `contam inspect`. */
  readonly probe: RemoteProbe;
}

export interface RemoteProbe {
  readonly baseUrl: string;
  readonly served: readonly string[];
  readonly model: string;
  readonly maxModelLen: number | null;
  readonly engineVersion: string | null;
  /** -1 = no cap. null when the server answered -1 without saying its cap. */
  readonly maxLogprobs: number | null;
  readonly vocabSize: number | null;
  readonly tokenizer: { readonly source: 'server' | 'local'; readonly hash: string; readonly matchesServer: boolean | null; readonly path?: string };
  readonly apiKey: 'none' | 'from environment';
  readonly apiKeyEnv: string | null;
}

function urls(raw: string): { base: string; root: string } {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new FatalError(`model URL ${JSON.stringify(raw)} is not a URL; expected e.g. http://127.0.0.1:8000/v1`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new FatalError(`model URL ${raw}: expected http:// or https://`);
  if (parsed.username || parsed.password) throw new FatalError(`model URL ${parsed.host}: put the API key in an environment variable (CONTAM_API_KEY), not in the URL`);
  const path = parsed.pathname.replace(/\/+$/, '');
  const root = `${parsed.origin}${path.replace(/\/v1$/, '')}`;
  return { base: `${root}/v1`, root };
}

function findApiKey(spec: RemoteSpec): { key: string | undefined; env: string | null } {
  const names = spec.apiKeyEnv ? [spec.apiKeyEnv] : ['CONTAM_API_KEY', 'OPENAI_API_KEY'];
  for (const name of names) {
    const value = process.env[name];
    if (value) return { key: value, env: name };
  }
  if (spec.apiKeyEnv) throw new FatalError(`apiKeyEnv: the environment variable ${spec.apiKeyEnv} is not set`);
  return { key: undefined, env: null };
}

/** Names what the server said in one line; context errors are per-sample, the rest stop the audit. */
function engineFailure(error: unknown, base: string, model: string, role: string): Error {
  if (error instanceof EngineHttpError) {
    if (error.status === 401 || error.status === 403) {
      return new FatalError(`${base}: the server refused the API key (HTTP ${error.status} ${error.body || 'Unauthorized'}); set CONTAM_API_KEY or OPENAI_API_KEY (or apiKeyEnv) to the key it was started with`);
    }
    if (error.status === 404) return new FatalError(`${base}: HTTP 404 for the ${role} model "${model}": ${error.body || 'not found'}`);
    if (error.status === 400 && isContextError(error.body)) return new ModelOutputError(`the server refused the text as too long: ${error.body}`);
    return new FatalError(`${error.url}: HTTP ${error.status}: ${error.body}`);
  }
  if (error instanceof WireError) return new FatalError(`${base}: malformed answer: ${error.message}`);
  return error as Error;
}

export async function openRemoteBackend(spec: RemoteSpec, options: RemoteOptions = {}, role = 'model'): Promise<RemoteBackend> {
  const { base, root } = urls(spec.url);
  const apiKey = findApiKey(spec);
  const client = new EngineClient(root, apiKey.key, clientOptions(options));
  const fail = (error: unknown, model = spec.model ?? '?') => engineFailure(error, base, model, role);
  // Opening fails fast when nothing listens: at most two retries, not the audit's eight.
  const opening = Math.min(2, client.options.retries);

  // What it serves.
  let listed: { id?: unknown; max_model_len?: unknown }[];
  try {
    const { json } = await client.get('/v1/models', opening);
    listed = (json as { data?: unknown })?.data as typeof listed;
    if (!Array.isArray(listed)) throw new WireError('/v1/models has no "data" list');
  } catch (error) {
    throw fail(error);
  }
  const served = listed.map((m) => String(m?.id));
  const model = spec.model ?? (served.length === 1 ? served[0] : undefined);
  if (model === undefined) {
    throw new FatalError(`${base} serves ${served.length ? served.join(', ') : 'no model'}; name one with --${role}-model (or "model" under ${role} in the config)`);
  }
  if (!served.includes(model)) throw new FatalError(`${base} does not serve "${model}"; it serves ${served.join(', ')} (--${role}-model)`);
  const card = listed[served.indexOf(model)];
  const maxModelLen = typeof card?.max_model_len === 'number' ? card.max_model_len : null;
  let engineVersion: string | null = null;
  try {
    const { json } = await client.get('/version', 1);
    engineVersion = typeof (json as { version?: unknown })?.version === 'string' ? (json as { version: string }).version : null;
  } catch (error) {
    if (!(error instanceof EngineHttpError)) throw fail(error, model);
  }

  const tokenStrings = new Map<number, string>();
  const serverTokenize = async (text: string, addSpecialTokens: boolean): Promise<number[]> => {
    const { json } = await client.post('/tokenize', { model, prompt: text, add_special_tokens: addSpecialTokens, return_token_strs: true });
    const answer = json as { tokens?: unknown; token_strs?: unknown };
    if (!Array.isArray(answer?.tokens) || !answer.tokens.every((t) => Number.isInteger(t))) throw new WireError('/tokenize returned no "tokens" list of ids');
    const strs = answer.token_strs;
    if (Array.isArray(strs)) answer.tokens.forEach((id: number, i) => typeof strs[i] === 'string' && tokenStrings.set(id, strs[i]));
    return answer.tokens as number[];
  };
  let local: Tokenizer | undefined;
  let tokenizerInfo: RemoteProbe['tokenizer'];
  try {
    const probeIds = await serverTokenize(PROBE_TEXT, true);
    if (spec.tokenizer) {
      const files = tokenizerFiles(spec.tokenizer);
      local = loadTokenizer(files.json, files.config, {});
      const mine = local.encode(PROBE_TEXT);
      const same = mine.length === probeIds.length && mine.every((id, i) => id === probeIds[i]);
      if (!same) {
        throw new FatalError(`${spec.tokenizer} does not tokenize like ${base} ("${model}"): a probe text gives ${mine.length} tokens locally and ${probeIds.length} on the server; use the model's own tokenizer.json, or leave "tokenizer" out to use the server's`);
      }
      tokenizerInfo = { source: 'local', hash: sha256(readFileSync(files.json)), matchesServer: true, path: spec.tokenizer };
    } else {
      tokenizerInfo = { source: 'server', hash: sha256(JSON.stringify(probeIds)), matchesServer: null };
    }
  } catch (error) {
    throw fail(error, model);
  }

  // How many prompt log-probs per position: ask for the whole vocabulary on a short prompt. vLLM expands
  // -1 to the vocabulary size before checking its cap, so a refusal names both.
  let maxLogprobs: number | null = null;
  let vocabSize: number | null = null;
  try {
    const ids = (await tokenizeWith(local, serverTokenize, ['Hello world'], true))[0];
    const twoTokens = ids.length >= 2 ? ids.slice(0, 2) : [...ids, ...ids, ...ids].slice(0, 2);
    const { json } = await client.post('/v1/completions', scoreBody(model, [twoTokens], -1), opening);
    const [choice] = choicesOf(json, 1);
    const entries = choice.prompt_logprobs;
    if (!Array.isArray(entries)) throw new WireError('no prompt_logprobs in the answer: contam needs vLLM\'s prompt_logprobs on /v1/completions');
    vocabSize = entries[1] && typeof entries[1] === 'object' ? Object.keys(entries[1]).length : null;
    maxLogprobs = -1;
  } catch (error) {
    const cap = error instanceof EngineHttpError && error.status === 400 ? logprobCap(error.body) : undefined;
    if (!cap) throw fail(error, model);
    maxLogprobs = cap.cap;
    vocabSize = cap.asked > 0 ? cap.asked : null;
  }
  const distribution = maxLogprobs === -1 || (vocabSize !== null && maxLogprobs !== null && maxLogprobs >= vocabSize);
  const fingerprint = sha256(JSON.stringify({ url: base, model, maxModelLen, tokenizer: tokenizerInfo.hash }));
  const probe: RemoteProbe = {
    baseUrl: base,
    served,
    model,
    maxModelLen,
    engineVersion,
    maxLogprobs,
    vocabSize,
    tokenizer: tokenizerInfo,
    apiKey: apiKey.key ? 'from environment' : 'none',
    apiKeyEnv: apiKey.env,
  };
  const contextLength = maxModelLen ?? 2048;
  const info: BackendInfo = {
    kind: 'remote',
    id: model,
    location: base,
    fingerprint,
    weightsHashed: false,
    contextLength,
    vocabSize,
    details: { engineVersion, maxModelLen, maxLogprobs, tokenizer: tokenizerInfo.source, tokenizerHash: tokenizerInfo.hash.slice(0, 16), concurrency: client.options.concurrency },
  };

  const specialPrefix = local ? local.encode('') : await serverTokenize('', true).catch((e) => Promise.reject(fail(e, model)));
  const score = async (sequences: readonly (readonly number[])[], distributionNeeded: boolean): Promise<TokenScores[]> => {
    for (const ids of sequences) {
      // One token is generated after the prompt, so the prompt may take max_model_len - 1.
      if (ids.length + 1 > contextLength) throw new ModelOutputError(`text has ${ids.length} tokens; ${base} serves "${model}" with max_model_len ${contextLength}`);
      if (ids.length === 0) throw new ModelOutputError('empty text: nothing to score');
    }
    const groups = requestGroups(sequences, distributionNeeded);
    const parts = await Promise.all(
      groups.map(async (group) => {
        try {
          const { json } = await client.post('/v1/completions', scoreBody(model, group.map((i) => sequences[i]), distributionNeeded ? -1 : 0));
          const t0 = performance.now();
          const choices = choicesOf(json, group.length);
          const out = group.map((i, j) => {
            for (const [t, entry] of (Array.isArray(choices[j].prompt_logprobs) ? choices[j].prompt_logprobs : []).entries()) {
              const id = sequences[i][t];
              const decoded = (entry as Record<string, { decoded_token?: unknown }> | null)?.[String(id)]?.decoded_token;
              if (typeof decoded === 'string' && !tokenStrings.has(id)) tokenStrings.set(id, decoded);
            }
            return tokenScores(choices[j], sequences[i], distributionNeeded ? vocabSize : null);
          });
          client.note({ scoredTokens: group.reduce((s, i) => s + sequences[i].length, 0), clientMs: performance.now() - t0 });
          return out;
        } catch (error) {
          throw fail(error, model);
        }
      }),
    );
    const scores: TokenScores[] = new Array(sequences.length);
    groups.forEach((group, g) => group.forEach((i, j) => (scores[i] = parts[g][j])));
    for (const s of scores) {
      const t = s.logprob.findIndex((x, i) => i > 0 && !Number.isFinite(x));
      if (t > 0) throw new ModelOutputError(`the server gave token ${t} a log-prob of -inf (${base}, "${model}")`);
    }
    return scores;
  };

  const prefixTexts = new Map<string, string>();
  const detokenize = async (ids: readonly number[]): Promise<string> => {
    let start = 0;
    while (start < specialPrefix.length && ids[start] === specialPrefix[start]) start++;
    const plain = ids.slice(start);
    if (local) return local.decode(plain, { skipSpecialTokens: true });
    const { json } = await client.post('/detokenize', { model, tokens: plain });
    const text = (json as { prompt?: unknown })?.prompt;
    if (typeof text !== 'string') throw new WireError('/detokenize returned no "prompt" text');
    return text;
  };

  return {
    probe,
    info: () => info,
    capabilities: {
      distribution,
      distributionHint: distribution
        ? undefined
        : `${base} allows ${maxLogprobs} log-probs per position (vLLM --max-logprobs ${maxLogprobs}); restart it with --max-logprobs -1 for the whole next-token distribution`,
      reproducibleSampling: false,
      samplingNote: 'drawn by the engine: the same seed repeats on the same server, version and hardware when its batches are invariant (VLLM_BATCH_INVARIANT=1), not otherwise',
      parallelSamples: client.options.concurrency,
    },
    async tokenize(texts, o) {
      try {
        return await tokenizeWith(local, serverTokenize, texts, o?.addSpecialTokens ?? true);
      } catch (error) {
        throw fail(error, model);
      }
    },
    async tokenTexts(ids) {
      if (local) return ids.map((id) => local.tokenText(id));
      const missing = [...new Set(ids.filter((id) => !tokenStrings.has(id)))];
      try {
        await Promise.all(missing.map(async (id) => tokenStrings.set(id, await detokenize([id]))));
      } catch (error) {
        throw fail(error, model);
      }
      return ids.map((id) => tokenStrings.get(id) ?? '');
    },
    score: (sequences, o) => score(sequences, o.distribution),
    async sample(prefix: readonly number[], o: SampleOptions) {
      try {
        const key = prefix.join(',');
        let prefixText = prefixTexts.get(key);
        if (prefixText === undefined) {
          prefixText = await detokenize(prefix);
          prefixTexts.clear();
          prefixTexts.set(key, prefixText);
        }
        const { json } = await client.post('/v1/completions', sampleBody(model, prefix, o));
        const { texts, tokens } = sampledTexts(json, o.n);
        client.note({ sampledTokens: tokens });
        return texts.map((t) => prefixText + t);
      } catch (error) {
        throw fail(error, model);
      }
    },
    traffic: () => client.traffic(),
    close: async () => {},
  };
}

async function tokenizeWith(
  local: Tokenizer | undefined,
  server: (text: string, special: boolean) => Promise<number[]>,
  texts: readonly string[],
  addSpecialTokens: boolean,
): Promise<number[][]> {
  if (local) return texts.map((t) => local.encode(t, { addSpecialTokens }));
  return Promise.all(texts.map((t) => server(t, addSpecialTokens)));
}

/** Scoring requests: with the whole vocabulary one prompt each (about 2 MB of JSON per position at 32k); else batches. */
function requestGroups(sequences: readonly (readonly number[])[], distribution: boolean): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let tokens = 0;
  sequences.forEach((ids, i) => {
    if (current.length > 0 && (distribution || current.length >= MAX_PROMPTS || tokens + ids.length > MAX_REQUEST_TOKENS)) {
      groups.push(current);
      current = [];
      tokens = 0;
    }
    current.push(i);
    tokens += ids.length;
  });
  if (current.length) groups.push(current);
  return groups;
}

/** A tokenizer.json, or a folder holding one (with tokenizer_config.json beside it when present). */
function tokenizerFiles(path: string): { json: string; config: string | undefined } {
  const json = existsSync(path) && statSync(path).isDirectory() ? join(path, 'tokenizer.json') : path;
  if (!existsSync(json)) throw new FatalError(`tokenizer ${path}: no such file; expected a tokenizer.json or a folder holding one`);
  const config = join(dirname(json), 'tokenizer_config.json');
  return { json, config: existsSync(config) ? config : undefined };
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

