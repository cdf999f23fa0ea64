/**
 * Token ids for a served model, so the server scores exactly the tokens contam chose: a local
 * tokenizer.json verified against the server on a probe text, else the server's own /tokenize, else
 * (a server without /tokenize) the prompt_token_ids a completions answer carries for a text prompt.
 */
import { sha256 } from '../../util/hash.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FatalError } from '../../errors.js';
import { loadTokenizer } from '../tokenizer.js';
import type { Tokenizer } from '../types.js';
import { EngineHttpError, type EngineClient } from './client.js';
import { WireError, choicesOf } from './wire.js';

/** Texts whose ids are kept: a few samples' worth of originals and neighbours. */
const RECENT_TEXTS = 4096;

export const PROBE_TEXT = 'The quick brown fox jumps over the lazy dog. 1234 + 5678 = 6912; naïve café, “quotes”.\n\tend';

export interface TokenizerFacts {
  readonly source: 'local' | 'server' | 'completions';
  /** sha256 of the local tokenizer.json, or of the ids the server gives the probe text. */
  readonly hash: string;
  readonly matchesServer: boolean | null;
  readonly path?: string;
}

/** A tokenizer.json, or a folder holding one (with tokenizer_config.json beside it when present). */
function tokenizerFiles(path: string): { json: string; config: string | undefined } {
  const json = existsSync(path) && statSync(path).isDirectory() ? join(path, 'tokenizer.json') : path;
  if (!existsSync(json)) throw new FatalError(`tokenizer ${path}: no such file; expected a tokenizer.json or a folder holding one`);
  const config = join(dirname(json), 'tokenizer_config.json');
  return { json, config: existsSync(config) ? config : undefined };
}

/**
 * Ids per local tokenizer (by its file's hash), shared by the backends that load the same file: an
 * audit tokenizes each text for its length, for the target and for the reference, and the same
 * tokenizer under both models did that work twice (bench/: a tenth of an engine audit's client time).
 */
const sharedIds = new Map<string, Map<string, readonly number[]>>();

function idsFor(hash: string): Map<string, readonly number[]> {
  let cache = sharedIds.get(hash);
  if (!cache) sharedIds.set(hash, (cache = new Map()));
  return cache;
}

export class RemoteTokens {
  /** Display strings of ids met so far (from /tokenize's token_strs and prompt_logprobs' decoded_token). */
  readonly strings = new Map<number, string>();
  private local: Tokenizer | undefined;

  /** Whether display strings must be gathered from the server's answers (no local tokenizer spells them). */
  get needsStrings(): boolean {
    return this.local === undefined;
  }
  private route: 'tokenize' | 'completions' = 'tokenize';
  facts!: TokenizerFacts;

  constructor(
    private readonly client: EngineClient,
    private readonly model: string,
    private readonly where: string,
  ) {}

  /** Reads or checks the tokenizer once; `localPath` is the spec's `tokenizer`. */
  async open(localPath: string | undefined): Promise<void> {
    const serverIds = await this.serverTokenize(PROBE_TEXT, true);
    if (!localPath) {
      this.facts = { source: this.route === 'tokenize' ? 'server' : 'completions', hash: sha256(JSON.stringify(serverIds)), matchesServer: null };
      return;
    }
    const files = tokenizerFiles(localPath);
    const local = loadTokenizer(files.json, files.config, {});
    const mine = local.encode(PROBE_TEXT);
    if (mine.length !== serverIds.length || mine.some((id, i) => id !== serverIds[i])) {
      const first = mine.findIndex((id, i) => id !== serverIds[i]);
      throw new FatalError(
        `${localPath} does not tokenize like ${this.where} ("${this.model}"): a probe text gives ${mine.length} tokens locally and ${serverIds.length} on the server, first differing at token ${first}; use the model's own tokenizer.json, or leave "tokenizer" out to use the server's`,
      );
    }
    this.local = local;
    this.facts = { source: 'local', hash: sha256(readFileSync(files.json)), matchesServer: true, path: localPath };
  }

  async tokenize(texts: readonly string[], addSpecialTokens: boolean): Promise<number[][]> {
    const local = this.local;
    if (local) {
      const cache = idsFor(this.facts.hash);
      return texts.map((text) => {
        const key = `${addSpecialTokens ? 1 : 0}\0${text}`;
        let ids = cache.get(key);
        if (!ids) {
          ids = local.encode(text, { addSpecialTokens });
          cache.set(key, ids);
          if (cache.size > RECENT_TEXTS) cache.delete(cache.keys().next().value as string);
        }
        return [...ids];
      });
    }
    return Promise.all(texts.map((t) => this.cachedTokenize(t, addSpecialTokens)));
  }

  /** A sample's text is tokenized several times (the length check, scoring, the control): one request each is enough. */
  private readonly recent = new Map<string, Promise<number[]>>();

  private cachedTokenize(text: string, addSpecialTokens: boolean): Promise<number[]> {
    const key = `${addSpecialTokens ? 1 : 0}\0${text}`;
    let ids = this.recent.get(key);
    if (!ids) {
      ids = this.serverTokenize(text, addSpecialTokens);
      ids.catch(() => this.recent.delete(key));
      this.recent.set(key, ids);
      if (this.recent.size > RECENT_TEXTS) this.recent.delete(this.recent.keys().next().value as string);
    }
    return ids.then((x) => [...x]);
  }

  /** Display text per id; an id the server never spelled out is asked of /detokenize, else shown as ⟨id⟩. */
  async texts(ids: readonly number[]): Promise<string[]> {
    const local = this.local;
    if (local) return ids.map((id) => local.tokenText(id));
    const missing = [...new Set(ids.filter((id) => !this.strings.has(id)))];
    await Promise.all(
      missing.map(async (id) => {
        try {
          const { json } = await this.client.post('/detokenize', { model: this.model, tokens: [id] });
          const text = (json as { prompt?: unknown })?.prompt;
          this.strings.set(id, typeof text === 'string' ? text : `⟨${id}⟩`);
        } catch (error) {
          if (!(error instanceof EngineHttpError)) throw error;
          this.strings.set(id, `⟨${id}⟩`);
        }
      }),
    );
    return ids.map((id) => this.strings.get(id) ?? `⟨${id}⟩`);
  }

  private async serverTokenize(text: string, addSpecialTokens: boolean): Promise<number[]> {
    if (this.route === 'tokenize') {
      try {
        const { json } = await this.client.post('/tokenize', { model: this.model, prompt: text, add_special_tokens: addSpecialTokens, return_token_strs: true });
        const answer = json as { tokens?: unknown; token_strs?: unknown };
        const ids = answer?.tokens;
        if (!Array.isArray(ids) || !ids.every((t) => Number.isInteger(t))) throw new WireError('/tokenize returned no "tokens" list of ids');
        const strs = answer.token_strs;
        if (Array.isArray(strs)) ids.forEach((id: number, i) => typeof strs[i] === 'string' && this.strings.set(id, strs[i]));
        return ids as number[];
      } catch (error) {
        if (!(error instanceof EngineHttpError && (error.status === 404 || error.status === 405))) throw error;
        this.route = 'completions';
      }
    }
    // No /tokenize: a completions request with the text as prompt says which ids the server made of it.
    const body = { model: this.model, prompt: text, max_tokens: 1, temperature: 0, prompt_logprobs: 0, add_special_tokens: addSpecialTokens, return_token_ids: true };
    const { json } = await this.client.post('/v1/completions', body);
    const ids = choicesOf(json, 1)[0].prompt_token_ids;
    if (!Array.isArray(ids) || !ids.every((t) => Number.isInteger(t))) {
      throw new FatalError(`${this.where} has no /tokenize and its completions carry no prompt_token_ids; give a local tokenizer.json ("tokenizer" under the model in the config, or --tokenizer for inspect)`);
    }
    return ids as number[];
  }
}
