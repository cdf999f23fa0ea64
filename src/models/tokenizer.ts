/**
 * The only module that touches @huggingface/tokenizers. Its types degrade to `any` under NodeNext,
 * so everything passes through our own `Tokenizer` interface.
 */
import { readFileSync } from 'node:fs';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { FatalError, errorMessage } from '../errors.js';
import type { Tokenizer } from './types.js';

interface HfLike {
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

function readJson(path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FatalError(`cannot read ${what} ${path}: ${errorMessage(error)}`);
  }
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

export function loadTokenizer(
  tokenizerPath: string,
  tokenizerConfigPath: string | undefined,
  fallback: SpecialIds = {},
): Tokenizer {
  const json = readJson(tokenizerPath, 'tokenizer.json');
  const config = tokenizerConfigPath ? readJson(tokenizerConfigPath, 'tokenizer_config.json') : {};
  let hf: HfLike;
  try {
    hf = new HfTokenizer(json, config) as unknown as HfLike;
  } catch (error) {
    throw new FatalError(`${tokenizerPath}: the tokenizer library cannot load it (${errorMessage(error)})`);
  }
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

