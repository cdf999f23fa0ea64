/**
 * The only module that touches @huggingface/tokenizers. Its types degrade to `any` under NodeNext,
 * so everything passes through our own `Tokenizer` interface.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { FatalError, errorMessage } from '../errors.js';
import type { Tokenizer } from './types.js';

/** The subset of @huggingface/tokenizers used here (its own types degrade under NodeNext). */
export interface HfLike {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
  token_to_id(token: string): number | undefined;
  id_to_token(id: number): string | undefined;
  get_vocab(withAdded?: boolean): Map<string, number>;
}

/** Special-token ids gathered from the files that sit beside a model. */
export interface SpecialIds {
  bos?: number;
  eos?: number;
  pad?: number;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new FatalError(`cannot read ${what} ${path}: ${errorMessage(error)}`);
  }
}

function parseJson(path: string, text: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('expected a JSON object');
    }
    return value as Record<string, unknown>;
  } catch (error) {
    throw new FatalError(`${path}: not valid JSON (${errorMessage(error)}); expected a ${what}`);
  }
}

/** `"</s>"` or `{ "content": "</s>" }`, as tokenizer_config.json writes special tokens. */
function tokenString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { content?: unknown }).content === 'string') {
    return (value as { content: string }).content;
  }
  return undefined;
}

/**
 * Loaded tokenizers by content: a target and a reference that ship identical tokenizer files (the
 * usual case within a model family) share one instance, about 25 MB less for GPT-2's vocabulary.
 * A tokenizer holds no per-call state, so sharing it is safe.
 */
const loaded = new Map<string, Tokenizer>();

export function loadTokenizer(
  tokenizerPath: string,
  tokenizerConfigPath: string | undefined,
  fallback: SpecialIds = {},
): Tokenizer {
  const text = readText(tokenizerPath, 'tokenizer.json');
  const configText = tokenizerConfigPath ? readText(tokenizerConfigPath, 'tokenizer_config.json') : '{}';
  const key = createHash('sha256').update(text).update('\0').update(configText).update('\0').update(JSON.stringify(fallback)).digest('hex');
  const known = loaded.get(key);
  if (known) return known;
  const tokenizer = build(tokenizerPath, parseJson(tokenizerPath, text, 'tokenizer.json'), tokenizerConfigPath ? parseJson(tokenizerConfigPath, configText, 'tokenizer_config.json') : {}, fallback);
  loaded.set(key, tokenizer);
  return tokenizer;
}

/**
 * Drops what @huggingface/tokenizers 0.2 keeps after building a BPE model and never reads again:
 * the parsed vocabulary object and merge list of tokenizer.json (it keeps the whole JSON) and its
 * own split copy of the merges. It encodes from its token map and merge ranks. For GPT-2's
 * tokenizer this is 9.9 of its 18.5 MB of live heap, and 5.5 of 12.8 MB for the Llama one (issue
 * 20, goal 4). Only for a BPE model, the one kind that builds merge ranks.
 */
function release(hf: HfLike, json: Record<string, unknown>): void {
  const model = json.model as { vocab?: unknown; merges?: unknown } | undefined;
  const built = (hf as unknown as { model?: { merges?: unknown; bpe_ranks?: unknown } }).model;
  // A BPE model (the only one with merge ranks), whatever tokenizer.json calls it.
  if (!model || !built || !(built.bpe_ranks instanceof Map)) return;
  delete model.vocab;
  delete model.merges;
  built.merges = undefined;
}

function build(tokenizerPath: string, json: Record<string, unknown>, config: Record<string, unknown>, fallback: SpecialIds): Tokenizer {
  let hf: HfLike;
  try {
    hf = new HfTokenizer(json, config) as unknown as HfLike;
  } catch (error) {
    throw new FatalError(`${tokenizerPath}: the tokenizer library cannot load it (${errorMessage(error)})`);
  }
  release(hf, json);
  const idOf = (key: string): number | undefined => {
    const token = tokenString(config[key]);
    return token === undefined ? undefined : hf.token_to_id(token);
  };
  const bosId = idOf('bos_token') ?? fallback.bos;
  const eosId = idOf('eos_token') ?? fallback.eos;
  const padId = idOf('pad_token') ?? fallback.pad ?? eosId;
  let vocabSize = 0;
  for (const id of hf.get_vocab(true).values()) vocabSize = Math.max(vocabSize, id + 1);

  // The post-processor decides whether BOS is added (Llama yes, GPT-2 no): ask it, don't assume.
  const probe = hf.encode('a', { add_special_tokens: true }).ids;
  const addsBos = bosId !== undefined && probe.length > 0 && probe[0] === bosId;

  return {
    vocabSize,
    bosId,
    eosId,
    padId,
    addsBos,
    encode: (text, options) => hf.encode(text, { add_special_tokens: options?.addSpecialTokens ?? true }).ids,
    decode: (ids, options) => hf.decode([...ids], { skip_special_tokens: options?.skipSpecialTokens ?? true }),
    tokenText: (id) => hf.decode([id], { skip_special_tokens: false }),
  };
}

