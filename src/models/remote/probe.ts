/**
 * What an engine serves and allows, asked once when a remote model is opened: its models and
 * context length (/v1/models), its version (/version), and how many prompt log-probs per position
 * it returns, which decides whether Min-K%++'s full distribution can be had.
 */
import { FatalError } from '../../errors.js';
import { EngineHttpError, type EngineClient } from './client.js';
import { WireError, choicesOf, logprobCap, scoreBody } from './wire.js';

export interface ServedModel {
  readonly served: readonly string[];
  readonly model: string;
  readonly maxModelLen: number | null;
  readonly engineVersion: string | null;
}

export interface LogprobLimit {
  /** -1 = no cap; null when the server refused -1 without naming its cap. */
  readonly maxLogprobs: number | null;
  readonly vocabSize: number | null;
  /** When the whole distribution is out of reach: what the server said and the setting that would change it. */
  readonly hint?: string;
}

export async function servedModel(client: EngineClient, base: string, wanted: string | undefined, role: string, retries: number): Promise<ServedModel> {
  const { json } = await client.get('/v1/models', retries);
  const listed = (json as { data?: unknown })?.data;
  if (!Array.isArray(listed)) throw new WireError('/v1/models has no "data" list');
  const served = listed.map((m: { id?: unknown }) => String(m?.id));
  const model = wanted ?? (served.length === 1 ? served[0] : undefined);
  if (model === undefined) {
    throw new FatalError(`${base} serves ${served.length ? served.join(', ') : 'no model'}; name one with --${role}-model (or "model" under ${role} in the config)`);
  }
  if (!served.includes(model)) throw new FatalError(`${base} does not serve "${model}"; it serves ${served.join(', ')} (--${role}-model)`);
  const card = listed[served.indexOf(model)] as { max_model_len?: unknown };
  let engineVersion: string | null = null;
  try {
    const { json: v } = await client.get('/version', retries);
    const version = (v as { version?: unknown })?.version;
    engineVersion = typeof version === 'string' ? version : null;
  } catch (error) {
    // Not every engine has /version; a missing one is not a failure.
    if (!(error instanceof EngineHttpError)) throw error;
  }
  return { served, model, maxModelLen: typeof card?.max_model_len === 'number' ? card.max_model_len : null, engineVersion };
}

/**
 * Asks for the whole vocabulary on a two-token prompt. vLLM expands -1 to the vocabulary size before
 * checking --max-logprobs, so its refusal names both; an engine that refuses otherwise is asked for
 * the actual token's log-prob alone, which every detector but Min-K%++ needs and the audit cannot do without.
 */
export async function logprobLimit(client: EngineClient, base: string, model: string, probe: readonly number[], retries: number): Promise<LogprobLimit> {
  const prompt = probe.length >= 2 ? probe.slice(0, 2) : [probe[0] ?? 0, probe[0] ?? 0];
  const hasPromptLogprobs = (json: unknown) => {
    const entries = choicesOf(json, 1)[0].prompt_logprobs;
    if (!Array.isArray(entries)) {
      throw new FatalError(`${base} returned no prompt_logprobs for "${model}": contam scores through vLLM's prompt_logprobs on /v1/completions, which this server does not give`);
    }
    return entries;
  };
  try {
    const { json } = await client.post('/v1/completions', scoreBody(model, [prompt], -1), retries);
    const entries = hasPromptLogprobs(json);
    const vocabSize = entries[1] && typeof entries[1] === 'object' ? Object.keys(entries[1]).length : null;
    return { maxLogprobs: -1, vocabSize };
  } catch (error) {
    if (!(error instanceof EngineHttpError) || error.status !== 400) throw error;
    const cap = logprobCap(error.body);
    if (cap) {
      return {
        maxLogprobs: cap.cap,
        vocabSize: cap.asked > 0 ? cap.asked : null,
        hint: `${base} allows ${cap.cap} log-probs per position (vLLM --max-logprobs ${cap.cap}); restart it with --max-logprobs -1 for the whole next-token distribution`,
      };
    }
    const { json } = await client.post('/v1/completions', scoreBody(model, [prompt], 0), retries);
    hasPromptLogprobs(json);
    return { maxLogprobs: null, vocabSize: null, hint: `${base} refused prompt_logprobs -1 ("${error.body}"); a vLLM server gives the whole next-token distribution when started with --max-logprobs -1` };
  }
}
