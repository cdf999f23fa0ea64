/**
 * A model served by vLLM (or an engine speaking its /v1/completions with prompt log-probs) behind
 * the model-backend seam. Opening asks the server what it serves (/v1/models, /version), checks the
 * tokenizer (the server's /tokenize, or a local tokenizer.json verified against it on a probe text)
 * and probes how many prompt log-probs per position it allows, which decides whether Min-K%++'s full
 * distribution can be had. Scoring sends token ids, so the server scores exactly the tokens contam chose.
 */
import { FatalError } from '../../errors.js';
import { ModelOutputError, type BackendInfo, type ModelBackend } from '../backend.js';
import type { SampleOptions, TokenScores } from '../types.js';
import { DEFAULT_CLIENT, EngineClient, EngineHttpError, type ClientOptions } from './client.js';
import { logprobLimit, servedModel, type LogprobLimit, type ServedModel } from './probe.js';
import { sha256 } from '../../util/hash.js';
import { RemoteTokens, type TokenizerFacts } from './tokens.js';
import { choicesOf, isContextError, sampleBody, sampledTexts, scoreBody, tokenScores, WireError } from './wire.js';

export interface RemoteSpec {
  /** Base URL, e.g. http://127.0.0.1:8000/v1 (a bare http://host:port gets /v1). */
  readonly url: string;
  /** Served model name; default the one /v1/models lists. */
  readonly model?: string;
  /** Environment variable holding the API key; default CONTAM_API_KEY, then OPENAI_API_KEY. */
  readonly apiKeyEnv?: string;
  /** A local tokenizer.json to tokenize with instead of the server's /tokenize (verified against it). */
  readonly tokenizer?: string;
  /** Name shown in reports instead of the served model's id. */
  readonly name?: string;
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
const MAX_PROMPTS = 64;
const MAX_REQUEST_TOKENS = 16384;

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
  readonly tokenizer: TokenizerFacts;
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
  let served: ServedModel;
  let limit: LogprobLimit;
  let tokens: RemoteTokens;
  try {
    served = await servedModel(client, base, spec.model, role, opening);
    tokens = new RemoteTokens(client, served.model, base);
    await tokens.open(spec.tokenizer);
    limit = await logprobLimit(client, base, served.model, (await tokens.tokenize(['Hello world'], true))[0], opening);
  } catch (error) {
    client.close();
    throw fail(error);
  }
  const { model, maxModelLen, engineVersion } = served;
  const { maxLogprobs, vocabSize } = limit;
  const distribution = maxLogprobs === -1 || (vocabSize !== null && maxLogprobs !== null && maxLogprobs >= vocabSize);
  const probe: RemoteProbe = {
    baseUrl: base,
    served: served.served,
    model,
    maxModelLen,
    engineVersion,
    maxLogprobs,
    vocabSize,
    tokenizer: tokens.facts,
    apiKey: apiKey.key ? 'from environment' : 'none',
    apiKeyEnv: apiKey.env,
  };
  const contextLength = maxModelLen ?? 2048;
  const info: BackendInfo = {
    kind: 'remote',
    id: model,
    location: base,
    fingerprint: sha256(JSON.stringify({ url: base, model, maxModelLen, tokenizer: tokens.facts.hash })),
    weightsHashed: false,
    contextLength,
    vocabSize,
    details: { engineVersion, maxModelLen, maxLogprobs, tokenizer: tokens.facts.source, tokenizerHash: tokens.facts.hash.slice(0, 16), concurrency: client.options.concurrency },
  };

  const scoreGroup = async (sequences: readonly (readonly number[])[], group: readonly number[], full: boolean): Promise<TokenScores[]> => {
    const { json } = await client.post('/v1/completions', scoreBody(model, group.map((i) => sequences[i]), full ? -1 : 0));
    const t0 = performance.now();
    const choices = choicesOf(json, group.length);
    const out = group.map((i, j) => {
      const entries = choices[j].prompt_logprobs;
      if (tokens.needsStrings && Array.isArray(entries)) {
        entries.forEach((entry, t) => {
          const id = sequences[i][t];
          const decoded = (entry as Record<string, { decoded_token?: unknown }> | null)?.[String(id)]?.decoded_token;
          if (typeof decoded === 'string' && !tokens.strings.has(id)) tokens.strings.set(id, decoded);
        });
      }
      return tokenScores(choices[j], sequences[i], full ? vocabSize : null);
    });
    client.note({ scoredTokens: group.reduce((sum, i) => sum + sequences[i].length, 0), clientMs: performance.now() - t0 });
    return out;
  };

  const score = async (sequences: readonly (readonly number[])[], full: boolean): Promise<TokenScores[]> => {
    for (const ids of sequences) {
      // One token is generated after the prompt, so the prompt may take max_model_len - 1.
      if (ids.length + 1 > contextLength) throw new ModelOutputError(`text has ${ids.length} tokens; ${base} serves "${model}" with max_model_len ${contextLength}`);
      if (ids.length === 0) throw new ModelOutputError('empty text: nothing to score');
    }
    const groups = requestGroups(sequences, full);
    let parts: TokenScores[][];
    try {
      parts = await Promise.all(groups.map((group) => scoreGroup(sequences, group, full)));
    } catch (error) {
      throw fail(error, model);
    }
    const scores: TokenScores[] = new Array(sequences.length);
    groups.forEach((group, g) => group.forEach((i, j) => (scores[i] = parts[g][j])));
    for (const s of scores) {
      const t = s.logprob.findIndex((x, i) => i > 0 && !Number.isFinite(x));
      if (t > 0) throw new ModelOutputError(`the server gave token ${t} a log-prob of -inf (${base}, "${model}")`);
    }
    return scores;
  };

  return {
    probe,
    info: () => info,
    capabilities: {
      distribution,
      distributionHint: distribution ? undefined : limit.hint,
      distributionCost: `${base} would send every one of ${vocabSize ?? 'its'} vocabulary entries' log-probs at every position (about ${jsonPerPosition(vocabSize)} of JSON per position)`,
      reproducibleSampling: false,
      samplingNote: 'drawn by the engine: the same seed repeats on the same server, version and hardware when its batches are invariant (VLLM_BATCH_INVARIANT=1), not otherwise',
      parallelSamples: client.options.concurrency,
    },
    async tokenize(texts, o) {
      try {
        return await tokens.tokenize(texts, o?.addSpecialTokens ?? true);
      } catch (error) {
        throw fail(error, model);
      }
    },
    async tokenTexts(ids) {
      try {
        return await tokens.texts(ids);
      } catch (error) {
        throw fail(error, model);
      }
    },
    score: (sequences, o) => score(sequences, o.distribution),
    async sample(prefix, o: SampleOptions) {
      try {
        const { json } = await client.post('/v1/completions', sampleBody(model, prefix.ids, o));
        const { texts, tokens: sampled } = sampledTexts(json, o.n);
        client.note({ sampledTokens: sampled });
        // The engine's text continues the prompt's ids; the prompt's own text is the one they came from.
        return texts.map((t) => prefix.text + t);
      } catch (error) {
        throw fail(error, model);
      }
    },
    traffic: () => client.traffic(),
    close: async () => client.close(),
  };
}

/** About 70 bytes of JSON per vocabulary entry (id, logprob, rank, decoded token): 2.2 MB at 32k. */
function jsonPerPosition(vocab: number | null): string {
  if (vocab === null) return '70 bytes per vocabulary entry';
  const bytes = vocab * 70;
  return bytes >= 1e5 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
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
