/**
 * vLLM's OpenAI-compatible wire format, as ../shared/reference/engine-wire-format.md reads it from
 * vLLM's source: request bodies for scoring and sampling, and tolerant readers of the answers
 * (vLLM serialises optional fields as null, so absent and null are treated alike).
 */
import type { SampleOptions, TokenScores } from '../types.js';

/** vLLM clamps -inf to this in every log-prob it returns. */
export const CLAMPED_NEG_INF = -9999;

export class WireError extends Error {}

/**
 * Prompt log-probs of token-id prompts, one choice per prompt. `prompt_logprobs: 0` returns only the
 * actual token's log-prob and rank per position; -1 the whole vocabulary. One token is generated
 * (greedy) because `max_tokens: 0` is accepted only with echo; it is ignored.
 */
export function scoreBody(model: string, prompts: readonly (readonly number[])[], topK: number): Record<string, unknown> {
  return { model, prompt: prompts, max_tokens: 1, temperature: 0, n: 1, prompt_logprobs: topK };
}

/**
 * Neighbours: every sampler field is sent, since vLLM otherwise takes the model repo's
 * generation_config. Child i of n uses seed + i on the server.
 */
export function sampleBody(model: string, prefix: readonly number[], o: SampleOptions): Record<string, unknown> {
  const temperature = o.temperature ?? 1;
  return {
    model,
    prompt: prefix,
    n: o.n,
    max_tokens: o.maxNewTokens,
    min_tokens: Math.min(o.minNewTokens ?? 0, o.maxNewTokens),
    temperature,
    top_p: o.topP ?? 1,
    top_k: o.topK && o.topK > 0 ? o.topK : -1,
    min_p: 0,
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  };
}

interface Choice {
  readonly index?: number;
  readonly text?: unknown;
  readonly prompt_logprobs?: unknown;
  readonly token_ids?: unknown;
  readonly prompt_token_ids?: unknown;
}

/** The choices of a completions answer, in index order. */
export function choicesOf(json: unknown, expected: number): Choice[] {
  const choices = (json as { choices?: unknown })?.choices;
  if (!Array.isArray(choices)) throw new WireError('the answer has no "choices" list');
  if (choices.length !== expected) throw new WireError(`expected ${expected} choices, the answer has ${choices.length}`);
  return [...choices].sort((a: Choice, b: Choice) => (a?.index ?? 0) - (b?.index ?? 0));
}

function entryLogprob(entry: unknown, position: number, id: number): number {
  const value = (entry as Record<string, { logprob?: unknown } | undefined>)[String(id)]?.logprob;
  if (typeof value !== 'number') throw new WireError(`prompt_logprobs[${position}] has no log-prob for the prompt's token ${id}`);
  return value <= CLAMPED_NEG_INF ? -Infinity : value;
}

/**
 * One sequence's TokenScores from `prompt_logprobs` (entry 0 is null: the first token has no context).
 * With `vocab` set, each entry must hold every token of the vocabulary, and the moments of log p are
 * computed from it in two passes (mean, then the spread around it) in float64.
 */
export function tokenScores(choice: Choice, ids: readonly number[], vocab: number | null): TokenScores {
  const entries = choice.prompt_logprobs;
  if (!Array.isArray(entries)) throw new WireError('the answer carries no prompt_logprobs (is this a vLLM server?)');
  if (entries.length !== ids.length) throw new WireError(`prompt_logprobs has ${entries.length} entries for a ${ids.length}-token prompt`);
  const n = ids.length;
  const logprob = new Float64Array(n).fill(NaN);
  const mean = new Float64Array(n).fill(NaN);
  const std = new Float64Array(n).fill(NaN);
  for (let t = 1; t < n; t++) {
    const entry = entries[t];
    if (!entry || typeof entry !== 'object') throw new WireError(`prompt_logprobs[${t}] is ${entry === null ? 'null' : typeof entry}`);
    logprob[t] = entryLogprob(entry, t, ids[t]);
    if (vocab !== null) [mean[t], std[t]] = moments(entry as Record<string, { logprob?: unknown }>, t, vocab);
  }
  return { ids: [...ids], logprob, mean, std };
}

function moments(entry: Record<string, { logprob?: unknown }>, position: number, vocab: number): [number, number] {
  const values: number[] = [];
  for (const key in entry) {
    const lp = entry[key]?.logprob;
    if (typeof lp !== 'number') throw new WireError(`prompt_logprobs[${position}]["${key}"] has no numeric log-prob`);
    values.push(lp);
  }
  if (values.length < vocab) {
    throw new WireError(`prompt_logprobs[${position}] holds ${values.length} tokens, not the whole vocabulary of ${vocab}`);
  }
  let mu = 0;
  for (const lp of values) if (lp > CLAMPED_NEG_INF) mu += Math.exp(lp) * lp;
  let spread = 0;
  for (const lp of values) if (lp > CLAMPED_NEG_INF) spread += Math.exp(lp) * (lp - mu) ** 2;
  return [mu, Math.sqrt(spread)];
}

/** The generated text of each choice (sampling), in index order, and how many tokens they took (usage). */
export function sampledTexts(json: unknown, n: number): { texts: string[]; tokens: number } {
  const texts = choicesOf(json, n).map((c, i) => {
    if (typeof c.text !== 'string') throw new WireError(`choices[${i}].text is not a string`);
    return c.text;
  });
  const tokens = (json as { usage?: { completion_tokens?: unknown } })?.usage?.completion_tokens;
  return { texts, tokens: typeof tokens === 'number' ? tokens : 0 };
}

/** vLLM's refusal of a log-prob count over --max-logprobs: the count asked (the vocabulary, for -1) and the cap. */
export function logprobCap(message: string): { asked: number; cap: number } | undefined {
  const m = /prompt logprobs of (-?\d+),? which is greater than max allowed:? (-?\d+)/i.exec(message);
  return m ? { asked: Number(m[1]), cap: Number(m[2]) } : undefined;
}

/** vLLM's "maximum context length" refusal. */
export const isContextError = (message: string): boolean => /maximum context length|context length is|too long/i.test(message);
