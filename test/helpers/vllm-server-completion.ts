/**
 * The request handlers of the vLLM test server (vllm-server.ts): /v1/completions, /tokenize,
 * /detokenize and /v1/models, computing from the model folder (vllm-server-model.ts).
 *
 * Each step follows vllm-project/vllm as read (main line, 2025-26 snapshots):
 * - entrypoints/openai/completion/protocol.py: CompletionRequest fields, defaults and `mode="before"`
 *   validators (check_logprobs, validate_prompt_and_prompt_embeds, ...), to_sampling_params (echo sets
 *   prompt_logprobs := logprobs; echo + max_tokens 0 runs the engine with 1), response models.
 * - entrypoints/openai/completion/serving.py: choice order (prompt by prompt, each prompt's n outputs,
 *   index = running count), echo, _create_completion_logprobs (top_logprobs keyed by decoded string,
 *   first k+1 dict items, -9999.0 clamp, text_offset), usage summed over the batch.
 * - serve/engine/serving.py _check_model (404), renderers/params.py TokenizeParams (context 400s),
 *   serve/utils/api_utils.py get_max_tokens, sampling_params.py (ranges, clamps, greedy n check,
 *   logprob caps), v1/engine/input_processor.py (empty prompt, prompt length, out-of-vocab ids),
 *   logprobs.py append_logprobs_for_next_position (actual token first with its vocab rank, then the
 *   top-k with ranks 1..k), v1/core/sched/utils.py check_stop (min_tokens, eos, stop ids, length),
 *   v1/engine/parallel_sampling.py (child i seeded seed + i).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  coerceField,
  modelNotFound,
  modelValidatorError,
  pyFloat,
  requestValidationError,
  validationError,
  valueError,
  type FieldKind,
  type PydanticError,
} from './vllm-server-protocol.js';
import { logSoftmax, SeededRandom, topK, vocabRank, type ServedModel } from './vllm-server-model.js';

export interface ServingContext {
  readonly models: readonly ServedModel[];
  /** --max-logprobs; -1 = the vocabulary size. */
  readonly maxLogprobs: number;
  readonly systemFingerprint: string | null;
  /** VLLM_MAX_COMPLETION_PROMPTS. */
  readonly maxCompletionPrompts: number;
}

const SAMPLING_EPS = 1e-5;
const MAX_TEMP = 1e-2;
const MAX_N_SEQUENCES = 16384;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** vLLM's Logprob, serialised as {logprob, rank, decoded_token}. */
interface LogprobEntry {
  logprob: number;
  rank: number;
  decoded_token: string;
}
/** One position: token id -> Logprob, in insertion order (actual token first). */
type Position = Map<number, LogprobEntry>;

function pickModel(ctx: ServingContext, requested: unknown): ServedModel {
  if (requested === undefined || requested === null || requested === '') return ctx.models[0];
  const found = ctx.models.find((m) => m.name === requested);
  if (!found) throw modelNotFound(String(requested));
  return found;
}

function asObject(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  throw requestValidationError([{ type: 'model_attributes_type', loc: 'body', msg: 'Input should be a valid dictionary or object to extract fields from', input: body }]);
}

// ---- /v1/models, /tokenize, /detokenize ----------------------------------------------------------

export function modelList(ctx: ServingContext): unknown {
  const created = Math.floor(Date.now() / 1000);
  return {
    object: 'list',
    data: ctx.models.map((m) => ({
      id: m.name,
      object: 'model',
      created,
      owned_by: 'vllm',
      root: m.dir,
      parent: null,
      max_model_len: m.maxModelLen,
      permission: [
        {
          id: `modelperm-${randomUUID().replaceAll('-', '')}`,
          object: 'model_permission',
          created,
          allow_create_engine: false,
          allow_sampling: true,
          allow_logprobs: true,
          allow_search_indices: false,
          allow_view: true,
          allow_fine_tuning: false,
          organization: '*',
          group: null,
          is_blocking: false,
        },
      ],
    })),
  };
}

export function tokenize(ctx: ServingContext, rawBody: unknown): unknown {
  const body = asObject(rawBody);
  const errors: PydanticError[] = [];
  if ('messages' in body && !('prompt' in body)) {
    // A chat tokenize request: the fixture tokenizers have no chat template.
    pickModel(ctx, body.model);
    throw valueError(
      'As of transformers v4.44, default chat template is no longer allowed, so you must provide a chat template if the tokenizer does not define one.',
    );
  }
  if (!('prompt' in body)) errors.push({ type: 'missing', loc: 'body.prompt', msg: 'Field required', input: body });
  const prompt = 'prompt' in body ? coerceField('prompt', body.prompt, 'str', false, errors) : undefined;
  const model = 'model' in body ? coerceField('model', body.model, 'str', true, errors) : null;
  const addSpecial = 'add_special_tokens' in body ? coerceField('add_special_tokens', body.add_special_tokens, 'bool', false, errors) : true;
  const returnStrs = 'return_token_strs' in body ? coerceField('return_token_strs', body.return_token_strs, 'bool', true, errors) : false;
  if (errors.length) throw requestValidationError(errors);
  const served = pickModel(ctx, model);
  const text = prompt as string;
  const tokens = renderText(served, text, addSpecial as boolean, served.maxModelLen, 0, null, null);
  return {
    count: tokens.length,
    max_model_len: served.maxModelLen,
    tokens,
    token_strs: returnStrs ? tokens.map((id) => served.tokenString(id)) : null,
  };
}

export function detokenize(ctx: ServingContext, rawBody: unknown): unknown {
  const body = asObject(rawBody);
  const errors: PydanticError[] = [];
  if (!('tokens' in body)) errors.push({ type: 'missing', loc: 'body.tokens', msg: 'Field required', input: body });
  const tokens = 'tokens' in body ? coerceField('tokens', body.tokens, 'int_list', false, errors) : undefined;
  const model = 'model' in body ? coerceField('model', body.model, 'str', true, errors) : null;
  if (errors.length) throw requestValidationError(errors);
  const served = pickModel(ctx, model);
  const ids = tokens as number[];
  const bad = ids.find((id) => id < 0 || id > served.maxTokenId);
  if (bad !== undefined) throw valueError(`Token id ${bad} is out of vocabulary`);
  return { prompt: served.decode(ids, false) };
}

// ---- rendering: tokenization and the context checks of renderers/params.py -----------------------

/** The length check of TokenizeParams._token_len_check. */
function tokenLenCheck(count: number, maxTotal: number, maxOutput: number): void {
  const maxInput = maxTotal - maxOutput;
  if (count > maxInput) {
    const qualifier = count === maxInput + 1 ? 'at least ' : '';
    throw validationError(
      `This model's maximum context length is ${maxTotal} tokens. However, you requested ${maxOutput} output tokens and your prompt contains ` +
        `${qualifier}${count} input tokens, for a total of ${qualifier}${count + maxOutput} tokens. ` +
        'Please reduce the length of the input prompt or the number of requested output tokens.',
      'input_tokens',
      count,
    );
  }
}

function truncateTokens(tokens: number[], keep: number | null, side: 'left' | 'right'): number[] {
  if (keep === null || keep >= tokens.length) return tokens;
  if (keep === 0) return [];
  return side === 'left' ? tokens.slice(tokens.length - keep) : tokens.slice(0, keep);
}

/** A string prompt: the character pre-check, tokenization truncated at max_input + 1, then the length check. */
function renderText(
  model: ServedModel,
  text: string,
  addSpecialTokens: boolean,
  maxTotal: number,
  maxOutput: number,
  truncate: number | null,
  side: 'left' | 'right' | null,
): number[] {
  const maxInput = maxTotal - maxOutput;
  if (truncate === null) {
    const maxChars = maxInput * model.maxCharsPerToken;
    const length = [...text].length;
    if (length > maxChars) {
      throw validationError(
        `You passed ${length} input characters and requested ${maxOutput} output tokens. However, the model's context length is only ` +
          `${maxTotal} tokens, resulting in a maximum input length of ${maxInput} tokens (at most ${maxChars} characters). ` +
          'Please reduce the length of the input prompt.',
        'input_text',
        length,
      );
    }
  }
  let tokens = model.encode(text, addSpecialTokens);
  const keep = truncate === null ? maxInput + 1 : truncate < 0 ? maxInput : truncate;
  tokens = truncateTokens(tokens, keep, truncate === null ? 'right' : (side ?? 'right'));
  tokenLenCheck(tokens.length, maxTotal, maxOutput);
  return tokens;
}

function renderTokens(tokens: number[], maxTotal: number, maxOutput: number, truncate: number | null, side: 'left' | 'right' | null): number[] {
  const maxInput = maxTotal - maxOutput;
  const keep = truncate === null ? null : truncate < 0 ? maxInput : truncate;
  const kept = truncateTokens(tokens, keep, side ?? 'right');
  tokenLenCheck(kept.length, maxTotal, maxOutput);
  return kept;
}

// ---- /v1/completions -----------------------------------------------------------------------------

interface CompletionRequest {
  model: string | null;
  prompt: string | string[] | number[] | number[][];
  echo: boolean;
  logprobs: number | null;
  maxTokens: number;
  n: number;
  seed: number | null;
  stop: string[];
  temperature: number | null;
  topP: number | null;
  topK: number | null;
  minP: number | null;
  presencePenalty: number | null;
  frequencyPenalty: number | null;
  repetitionPenalty: number | null;
  stopTokenIds: number[];
  ignoreEos: boolean;
  minTokens: number;
  skipSpecialTokens: boolean;
  includeStopStrInOutput: boolean;
  promptLogprobs: number | null;
  addSpecialTokens: boolean;
  returnTokenIds: boolean;
  returnTokensAsTokenIds: boolean;
  truncatePromptTokens: number | null;
  truncationSide: 'left' | 'right' | null;
  requestId: string | null;
}

const FIELD_KINDS: Record<string, [FieldKind, boolean]> = {
  model: ['str', true],
  echo: ['bool', true],
  logprobs: ['int', true],
  max_tokens: ['int', true],
  n: ['int', false],
  seed: ['int', true],
  stream: ['bool', true],
  temperature: ['float', true],
  top_p: ['float', true],
  top_k: ['int', true],
  min_p: ['float', true],
  presence_penalty: ['float', true],
  frequency_penalty: ['float', true],
  repetition_penalty: ['float', true],
  stop_token_ids: ['int_list', true],
  ignore_eos: ['bool', false],
  min_tokens: ['int', false],
  skip_special_tokens: ['bool', false],
  spaces_between_special_tokens: ['bool', false],
  include_stop_str_in_output: ['bool', false],
  prompt_logprobs: ['int', true],
  add_special_tokens: ['bool', false],
  return_token_ids: ['bool', true],
  return_tokens_as_token_ids: ['bool', true],
  truncate_prompt_tokens: ['int', true],
  truncation_side: ['side', true],
  request_id: ['str', false],
  use_beam_search: ['bool', false],
  user: ['str', true],
};

/** Fields that would change the result and are not implemented here: refused rather than ignored. */
const UNSUPPORTED: readonly string[] = [
  'logit_bias',
  'allowed_token_ids',
  'bad_words',
  'response_format',
  'structured_outputs',
  'logprob_token_ids',
  'prompt_embeds',
  'repetition_detection',
  'thinking_token_budget',
];

function checkPrompt(value: unknown, errors: PydanticError[]): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) {
    errors.push({ type: 'list_type', loc: 'body.prompt', msg: 'Input should be a valid list', input: value });
    return;
  }
  const allInts = value.every((v) => typeof v === 'number' && Number.isInteger(v));
  if (allInts) {
    value.forEach((v, i) => {
      if ((v as number) < 0) errors.push({ type: 'greater_than_equal', loc: `body.prompt.${i}`, msg: 'Input should be greater than or equal to 0', input: v, ctx: "{'ge': 0}" });
    });
    return;
  }
  if (value.every((v) => typeof v === 'string')) return;
  if (value.every((v) => Array.isArray(v))) {
    value.forEach((row: unknown[], i) =>
      row.forEach((v, j) => {
        if (typeof v !== 'number' || !Number.isInteger(v)) errors.push({ type: 'int_type', loc: `body.prompt.${i}.${j}`, msg: 'Input should be a valid integer', input: v });
        else if (v < 0) errors.push({ type: 'greater_than_equal', loc: `body.prompt.${i}.${j}`, msg: 'Input should be greater than or equal to 0', input: v, ctx: "{'ge': 0}" });
      }),
    );
    return;
  }
  const bad = value.findIndex((v) => typeof v !== 'string');
  errors.push({ type: 'string_type', loc: `body.prompt.${bad}`, msg: 'Input should be a valid string', input: value[bad] });
}

/** FastAPI + pydantic: the `mode="before"` validators in declaration order, then the fields. */
function parseCompletionRequest(ctx: ServingContext, rawBody: unknown): CompletionRequest {
  const body = { ...asObject(rawBody) };
  // normalize_null_max_tokens
  if (body.max_tokens === null || body.max_tokens === undefined) body.max_tokens = 16;
  // check_logprobs
  for (const field of ['prompt_logprobs', 'logprobs']) {
    const value = body[field];
    if (value !== null && value !== undefined && typeof value !== 'number' && typeof value !== 'boolean') {
      throw modelValidatorError(body, `\`${field}\` must be an integer.`, field, value);
    }
  }
  const promptLogprobsRaw = body.prompt_logprobs as number | null | undefined;
  if (promptLogprobsRaw !== null && promptLogprobsRaw !== undefined) {
    const v = Number(promptLogprobsRaw);
    if (body.stream && (v > 0 || v === -1)) throw modelValidatorError(body, '`prompt_logprobs` are not available when `stream=True`.', 'prompt_logprobs');
    if (v < 0 && v !== -1) throw modelValidatorError(body, '`prompt_logprobs` must be a positive value or -1.', 'prompt_logprobs', promptLogprobsRaw);
  }
  const logprobsRaw = body.logprobs as number | null | undefined;
  if (logprobsRaw !== null && logprobsRaw !== undefined && Number(logprobsRaw) < 0 && Number(logprobsRaw) !== -1) {
    throw modelValidatorError(body, '`logprobs` must be a positive value or -1.', 'logprobs', logprobsRaw);
  }
  // validate_stream_options
  if (body.stream_options && !body.stream) throw modelValidatorError(body, 'Stream options can only be defined when `stream=True`.', 'stream_options');
  // validate_prompt_and_prompt_embeds
  const promptEmpty = body.prompt === null || body.prompt === undefined || body.prompt === '';
  const embedsEmpty = body.prompt_embeds === null || body.prompt_embeds === undefined || (Array.isArray(body.prompt_embeds) && body.prompt_embeds.length === 0);
  if (promptEmpty && embedsEmpty) throw modelValidatorError(body, 'Either prompt or prompt_embeds must be provided and non-empty.', 'prompt');
  // validate_prompt_list_length
  const prompt = body.prompt;
  if (Array.isArray(prompt) && prompt.length > 0 && !prompt.every((v) => typeof v === 'number') && prompt.length > ctx.maxCompletionPrompts) {
    throw modelValidatorError(
      body,
      `prompt list length ${prompt.length} exceeds the maximum allowed count of ${ctx.maxCompletionPrompts}. To increase this limit, set the VLLM_MAX_COMPLETION_PROMPTS environment variable.`,
      'prompt',
    );
  }

  const errors: PydanticError[] = [];
  if (!promptEmpty) checkPrompt(prompt, errors);
  const got: Record<string, unknown> = {};
  for (const [name, [kind, nullable]] of Object.entries(FIELD_KINDS)) {
    if (!(name in body)) continue;
    got[name] = coerceField(name, body[name], kind, nullable, errors);
  }
  if ('stop' in body && body.stop !== null) got.stop = coerceField('stop', body.stop, 'str_or_str_list', true, errors);
  if (typeof got.seed === 'number' && (BigInt(got.seed) < INT64_MIN || BigInt(got.seed) > INT64_MAX)) {
    errors.push({ type: 'less_than_equal', loc: 'body.seed', msg: `Input should be less than or equal to ${INT64_MAX}`, input: got.seed });
  }
  if (typeof got.truncate_prompt_tokens === 'number' && got.truncate_prompt_tokens < -1) {
    errors.push({ type: 'greater_than_equal', loc: 'body.truncate_prompt_tokens', msg: 'Input should be greater than or equal to -1', input: got.truncate_prompt_tokens, ctx: "{'ge': -1}" });
  }
  if (errors.length) throw requestValidationError(errors);

  checkUnsupported(body, got);
  const stop = got.stop === undefined || got.stop === null ? [] : typeof got.stop === 'string' ? [got.stop] : (got.stop as string[]);
  return {
    model: (got.model as string | null | undefined) ?? null,
    prompt: prompt as CompletionRequest['prompt'],
    echo: (got.echo as boolean | null | undefined) ?? false,
    logprobs: (got.logprobs as number | null | undefined) ?? null,
    maxTokens: got.max_tokens as number,
    n: (got.n as number | undefined) ?? 1,
    seed: (got.seed as number | null | undefined) ?? null,
    stop,
    temperature: (got.temperature as number | null | undefined) ?? null,
    topP: (got.top_p as number | null | undefined) ?? null,
    topK: (got.top_k as number | null | undefined) ?? null,
    minP: (got.min_p as number | null | undefined) ?? null,
    presencePenalty: (got.presence_penalty as number | null | undefined) ?? null,
    frequencyPenalty: (got.frequency_penalty as number | null | undefined) ?? null,
    repetitionPenalty: (got.repetition_penalty as number | null | undefined) ?? null,
    stopTokenIds: (got.stop_token_ids as number[] | null | undefined) ?? [],
    ignoreEos: (got.ignore_eos as boolean | undefined) ?? false,
    minTokens: (got.min_tokens as number | undefined) ?? 0,
    skipSpecialTokens: (got.skip_special_tokens as boolean | undefined) ?? true,
    includeStopStrInOutput: (got.include_stop_str_in_output as boolean | undefined) ?? false,
    promptLogprobs: (got.prompt_logprobs as number | null | undefined) ?? null,
    addSpecialTokens: (got.add_special_tokens as boolean | undefined) ?? true,
    returnTokenIds: (got.return_token_ids as boolean | null | undefined) ?? false,
    returnTokensAsTokenIds: (got.return_tokens_as_token_ids as boolean | null | undefined) ?? false,
    truncatePromptTokens: (got.truncate_prompt_tokens as number | null | undefined) ?? null,
    truncationSide: (got.truncation_side as 'left' | 'right' | null | undefined) ?? null,
    requestId: (got.request_id as string | undefined) ?? null,
  };
}

function checkUnsupported(body: Record<string, unknown>, got: Record<string, unknown>): void {
  const refuse = (what: string): never => {
    throw valueError(`${what} is not supported by the vLLM test server (test/helpers/vllm-server.ts)`);
  };
  if (got.stream === true) refuse('stream=true');
  if (got.use_beam_search === true) refuse('use_beam_search');
  for (const field of UNSUPPORTED) {
    const value = body[field];
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0 && field !== 'allowed_token_ids') continue;
    if (field === 'response_format' && typeof value === 'object' && (value as { type?: unknown }).type === 'text') continue;
    if (field === 'logit_bias' && typeof value === 'object' && Object.keys(value).length === 0) continue;
    refuse(field);
  }
}

/** SamplingParams as vLLM builds it for one prompt (to_sampling_params + __post_init__ + verify). */
interface Sampling {
  n: number;
  temperature: number;
  topP: number;
  topK: number;
  minP: number;
  presencePenalty: number;
  frequencyPenalty: number;
  repetitionPenalty: number;
  seed: bigint | null;
  stop: string[];
  stopTokenIds: number[];
  ignoreEos: boolean;
  maxTokens: number;
  minTokens: number;
  logprobs: number | null;
  promptLogprobs: number | null;
  greedy: boolean;
}

function buildSampling(req: CompletionRequest, model: ServedModel, maxTokens: number): Sampling {
  const defaults = model.generationDefaults;
  let temperature = req.temperature ?? defaults.temperature ?? 1.0;
  let topP = req.topP ?? defaults.top_p ?? 1.0;
  let topK = req.topK ?? defaults.top_k ?? 0;
  let minP = req.minP ?? defaults.min_p ?? 0.0;
  const presencePenalty = req.presencePenalty ?? 0.0;
  const frequencyPenalty = req.frequencyPenalty ?? 0.0;
  const repetitionPenalty = req.repetitionPenalty ?? defaults.repetition_penalty ?? 1.0;
  const echoWithoutGeneration = req.echo && req.maxTokens === 0;
  const engineMaxTokens = echoWithoutGeneration ? 1 : maxTokens;
  const promptLogprobs = req.promptLogprobs ?? (req.echo ? req.logprobs : null);
  const n = req.n;

  // __post_init__
  if (temperature > 0 && temperature < MAX_TEMP) temperature = Math.max(temperature, MAX_TEMP);
  const seed = req.seed === null || req.seed === -1 ? null : BigInt(req.seed);
  const stopTokenIds = [...new Set(req.stopTokenIds)];
  // _verify_args
  if (n < 1) throw validationError(`n must be at least 1, got ${n}.`);
  if (n > MAX_N_SEQUENCES) {
    throw validationError(`n must be at most ${MAX_N_SEQUENCES}, got ${n}. To increase this limit, set the VLLM_MAX_N_SEQUENCES environment variable.`);
  }
  const f = (x: number): string => pyFloat(x);
  if (!(presencePenalty >= -2 && presencePenalty <= 2)) throw validationError(`presence_penalty must be in [-2, 2], got ${f(presencePenalty)}.`);
  if (!(frequencyPenalty >= -2 && frequencyPenalty <= 2)) throw validationError(`frequency_penalty must be in [-2, 2], got ${f(frequencyPenalty)}.`);
  if (!Number.isFinite(repetitionPenalty)) throw validationError(`repetition_penalty must be a finite number, got ${f(repetitionPenalty)}.`);
  if (repetitionPenalty <= 0) throw validationError(`repetition_penalty must be greater than zero, got ${f(repetitionPenalty)}.`);
  if (!Number.isFinite(temperature)) throw validationError(`temperature must be a finite number, got ${f(temperature)}.`, 'temperature', temperature, true);
  if (temperature < 0) throw validationError(`temperature must be non-negative, got ${f(temperature)}.`, 'temperature', temperature, true);
  if (temperature > 2) throw validationError(`temperature must be in [0, 2], got ${f(temperature)}.`, 'temperature', temperature, true);
  if (!(topP > 0 && topP <= 1)) throw validationError(`top_p must be in (0, 1], got ${f(topP)}.`, 'top_p', topP, true);
  if (topK < -1) throw validationError(`top_k must be 0 (disable), or at least 1, got ${topK}.`);
  if (!(minP >= 0 && minP <= 1)) throw validationError(`min_p must be in [0, 1], got ${f(minP)}.`);
  if (engineMaxTokens < 1) throw validationError(`max_tokens must be at least 1, got ${engineMaxTokens}.`, 'max_tokens', engineMaxTokens);
  if (req.minTokens < 0) throw validationError(`min_tokens must be greater than or equal to 0, got ${req.minTokens}.`);
  if (req.minTokens > engineMaxTokens) throw validationError(`min_tokens must be less than or equal to max_tokens=${engineMaxTokens}, got ${req.minTokens}.`);
  if (req.stop.some((s) => s.length === 0)) throw validationError('stop cannot contain an empty string.');
  const greedy = temperature < SAMPLING_EPS;
  if (greedy) {
    topP = 1.0;
    topK = 0;
    minP = 0.0;
    if (n > 1) throw validationError(`n must be 1 when using greedy sampling, got ${n}.`);
  }
  return {
    n,
    temperature,
    topP,
    topK,
    minP,
    presencePenalty,
    frequencyPenalty,
    repetitionPenalty,
    seed,
    stop: req.stop,
    stopTokenIds,
    ignoreEos: req.ignoreEos,
    maxTokens: engineMaxTokens,
    minTokens: req.minTokens,
    logprobs: req.logprobs,
    promptLogprobs,
    greedy,
  };
}

/** InputProcessor / SamplingParams.verify checks, raised when the engine takes the request. */
function verifyForEngine(ctx: ServingContext, model: ServedModel, sampling: Sampling, prompt: number[]): void {
  const vocab = model.vocabSize;
  const maxLogprobs = ctx.maxLogprobs === -1 ? vocab : ctx.maxLogprobs;
  if (sampling.logprobs) {
    const k = sampling.logprobs === -1 ? vocab : sampling.logprobs;
    if (k > maxLogprobs) throw validationError(`Requested sample logprobs of ${k}, which is greater than max allowed: ${maxLogprobs}`, 'logprobs', k);
  }
  if (sampling.promptLogprobs) {
    const k = sampling.promptLogprobs === -1 ? vocab : sampling.promptLogprobs;
    if (k > maxLogprobs) throw validationError(`Requested prompt logprobs of ${k}, which is greater than max allowed: ${maxLogprobs}`, 'prompt_logprobs', k);
  }
  const badStops = sampling.stopTokenIds.filter((id) => id < 0 || id >= vocab);
  if (badStops.length) {
    throw validationError(
      `token_id(s) [${badStops.join(', ')}] in stop_token_ids contain out-of-vocab token ids. Vocabulary size: ${vocab}`,
      'stop_token_ids',
      badStops,
    );
  }
  if (prompt.length === 0) throw valueError('The decoder prompt cannot be empty');
  if (prompt.length > model.maxModelLen) {
    throw valueError(
      `The decoder prompt (length ${prompt.length}) is longer than the maximum model length of ${model.maxModelLen}. ` +
        'Make sure that `max_model_len` is no smaller than the number of text tokens.',
    );
  }
  if (prompt.length === model.maxModelLen) {
    throw valueError(
      `The decoder prompt (length ${prompt.length}) plus the number of requested output tokens (at least 1) is longer than the maximum ` +
        `model length of ${model.maxModelLen}. Make sure that \`max_model_len\` is no smaller than the number of text tokens (prompt + requested output tokens).`,
    );
  }
  const maxId = Math.max(0, ...prompt);
  if (maxId > Math.max(model.maxTokenId, vocab - 1)) throw valueError(`Token id ${maxId} is out of vocabulary`);
}

interface RenderedPrompt {
  ids: number[];
  /** The prompt text vLLM echoes: the string as given, or the detokenized ids. */
  text: string;
}

interface ChildOutput {
  tokens: number[];
  logprobs: Position[] | null;
  text: string;
  finishReason: 'stop' | 'length';
  stopReason: number | string | null;
}

interface PromptResult {
  prompt: RenderedPrompt;
  promptLogprobs: (Position | null)[] | null;
  outputs: ChildOutput[];
}

/** append_logprobs_for_next_position: the actual token with its vocab rank, then top-k with ranks 1..k. */
function positionEntry(model: ServedModel, logprobs: Float64Array, actual: number, k: number): Position {
  const entry: Position = new Map();
  entry.set(actual, { logprob: logprobs[actual], rank: vocabRank(logprobs, actual), decoded_token: model.decodedToken(actual) });
  const count = k === -1 ? logprobs.length : k;
  topK(logprobs, count).forEach((id, i) => {
    entry.set(id, { logprob: logprobs[id], rank: i + 1, decoded_token: model.decodedToken(id) });
  });
  return entry;
}

function rowOf(logits: Float32Array, vocab: number, seq: number, batchRow: number, position: number): Float32Array {
  const start = (batchRow * seq + position) * vocab;
  return logits.subarray(start, start + vocab);
}

/** Penalties, min_tokens, temperature, min_p, top_k, top_p (vLLM V1 sampler order), then one draw. */
function sampleToken(raw: Float32Array, sampling: Sampling, model: ServedModel, prompt: number[], output: number[], rng: SeededRandom): number {
  const V = raw.length;
  const logits = Float64Array.from(raw);
  if (sampling.repetitionPenalty !== 1) {
    const seen = new Set([...prompt, ...output]);
    for (const id of seen) if (id < V) logits[id] = logits[id] > 0 ? logits[id] / sampling.repetitionPenalty : logits[id] * sampling.repetitionPenalty;
  }
  if (sampling.frequencyPenalty !== 0 || sampling.presencePenalty !== 0) {
    const counts = new Map<number, number>();
    for (const id of output) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, count] of counts) if (id < V) logits[id] -= sampling.frequencyPenalty * count + sampling.presencePenalty;
  }
  if (output.length < sampling.minTokens) {
    const stops = new Set([...sampling.stopTokenIds, ...model.extraEosIds]);
    if (model.eosTokenId !== undefined) stops.add(model.eosTokenId);
    for (const id of stops) if (id >= 0 && id < V) logits[id] = -Infinity;
  }
  if (sampling.greedy) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[best] || Number.isNaN(logits[best])) best = i;
    return best;
  }
  for (let i = 0; i < V; i++) logits[i] /= sampling.temperature;
  let max = -Infinity;
  for (let i = 0; i < V; i++) if (logits[i] > max) max = logits[i];
  const probs = new Float64Array(V);
  let sum = 0;
  for (let i = 0; i < V; i++) {
    probs[i] = Math.exp(logits[i] - max);
    sum += probs[i];
  }
  for (let i = 0; i < V; i++) probs[i] /= sum;
  if (sampling.minP > 0) {
    let top = 0;
    for (let i = 0; i < V; i++) top = Math.max(top, probs[i]);
    for (let i = 0; i < V; i++) if (probs[i] < sampling.minP * top) probs[i] = 0;
  }
  if (sampling.topK > 0 && sampling.topK < V) {
    const kth = probs[topK(probs, sampling.topK)[sampling.topK - 1]];
    for (let i = 0; i < V; i++) if (probs[i] < kth) probs[i] = 0;
  }
  if (sampling.topP < 1) {
    const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => probs[a] - probs[b] || b - a);
    let total = 0;
    for (let i = 0; i < V; i++) total += probs[i];
    let cumulative = 0;
    for (let j = 0; j < V - 1; j++) {
      cumulative += probs[order[j]] / total;
      if (cumulative <= 1 - sampling.topP) probs[order[j]] = 0;
      else break;
    }
  }
  let total = 0;
  for (let i = 0; i < V; i++) total += probs[i];
  let u = rng.next() * total;
  let last = -1;
  for (let i = 0; i < V; i++) {
    if (probs[i] <= 0) continue;
    last = i;
    u -= probs[i];
    if (u < 0) return i;
  }
  return last === -1 ? 0 : last;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function randomSeed(): bigint {
  return randomBytes(8).readBigUInt64BE();
}

/** Text of the generated tokens as vLLM's incremental detokenizer gives it (context: the prompt). */
function outputText(model: ServedModel, prompt: number[], tokens: number[], skipSpecial: boolean): string {
  if (tokens.length === 0) return '';
  const before = model.decode(prompt, skipSpecial);
  const all = model.decode([...prompt, ...tokens], skipSpecial);
  return all.startsWith(before) ? all.slice(before.length) : model.decode(tokens, skipSpecial);
}

async function generate(model: ServedModel, req: CompletionRequest, sampling: Sampling, prompt: RenderedPrompt): Promise<PromptResult> {
  const P = prompt.ids;
  const first = await model.forward([P]);
  const V = first.vocab;
  let promptLogprobs: (Position | null)[] | null = null;
  if (sampling.promptLogprobs !== null) {
    promptLogprobs = [null];
    for (let j = 1; j < P.length; j++) {
      promptLogprobs.push(positionEntry(model, logSoftmax(rowOf(first.logits, V, first.seq, 0, j - 1)), P[j], sampling.promptLogprobs));
    }
  }
  const stopIds = new Set(sampling.stopTokenIds);
  if (!sampling.ignoreEos) for (const id of model.extraEosIds) stopIds.add(id);
  const maxStop = Math.max(0, ...sampling.stop.map((s) => s.length));

  interface Child {
    rng: SeededRandom;
    tokens: number[];
    logprobs: Position[] | null;
    finish: 'stop' | 'length' | null;
    stopReason: number | string | null;
    /** The stop came from a token (eos / stop_token_ids): that token is left out of the text. */
    stopTerminated: boolean;
    text: string;
  }
  const children: Child[] = Array.from({ length: sampling.n }, (_, i) => ({
    rng: new SeededRandom(sampling.seed === null ? randomSeed() : sampling.seed + BigInt(i)),
    tokens: [],
    logprobs: sampling.logprobs === null ? null : [],
    finish: null,
    stopReason: null,
    stopTerminated: false,
    text: '',
  }));

  let rows: Float32Array[] = children.map(() => rowOf(first.logits, V, first.seq, 0, P.length - 1));
  let active = children;
  while (active.length > 0) {
    active.forEach((child, r) => {
      const raw = rows[r];
      const token = sampleToken(raw, sampling, model, P, child.tokens, child.rng);
      if (child.logprobs) child.logprobs.push(positionEntry(model, logSoftmax(raw), token, sampling.logprobs!));
      child.tokens.push(token);
      const produced = child.tokens.length;
      // check_stop (scheduler)
      if (produced >= sampling.minTokens) {
        if (!sampling.ignoreEos && token === model.eosTokenId) {
          child.finish = 'stop';
          child.stopTerminated = true;
        } else if (stopIds.has(token)) {
          child.finish = 'stop';
          child.stopReason = token;
          child.stopTerminated = true;
        } else if (P.length + produced >= model.maxModelLen || produced >= sampling.maxTokens) {
          child.finish = 'length';
        }
      }
      // Detokenizer: the text, and stop strings (which override a length finish).
      const textTokens = child.stopTerminated && !req.includeStopStrInOutput ? child.tokens.slice(0, -1) : child.tokens;
      const previous = child.text;
      child.text = outputText(model, P, textTokens, req.skipSpecialTokens);
      if (sampling.stop.length && !child.stopTerminated) {
        const from = Math.max(0, previous.length - maxStop);
        for (const stop of sampling.stop) {
          const at = child.text.indexOf(stop, from);
          if (at === -1) continue;
          child.finish = 'stop';
          child.stopReason = stop;
          child.text = req.includeStopStrInOutput ? child.text.slice(0, at + stop.length) : child.text.slice(0, at);
          break;
        }
      }
    });
    active = active.filter((child) => child.finish === null);
    if (active.length === 0) break;
    // One forward per child (batch 1), so a child's numbers never depend on its siblings: child i of a
    // seeded request equals a single request seeded seed + i, bit for bit.
    const current = active;
    rows = await mapLimited(current, 4, async (child) => {
      const next = await model.forward([[...P, ...child.tokens]]);
      return rowOf(next.logits, next.vocab, next.seq, 0, next.seq - 1);
    });
  }
  return {
    prompt,
    promptLogprobs,
    outputs: children.map((child) => ({
      tokens: child.tokens,
      logprobs: child.logprobs,
      text: child.text,
      finishReason: child.finish ?? 'length',
      stopReason: child.stopReason,
    })),
  };
}

function clamp(x: number): number {
  return x === -Infinity ? -9999.0 : x;
}

/** A position as JSON: a Map, so the server writes the keys in vLLM's (insertion) order. */
function positionJson(position: Position | null): Map<string, LogprobEntry> | null {
  if (position === null) return null;
  const out = new Map<string, LogprobEntry>();
  for (const [id, entry] of position) out.set(String(id), { logprob: clamp(entry.logprob), rank: entry.rank, decoded_token: entry.decoded_token });
  return out;
}

/** _create_completion_logprobs. */
function completionLogprobs(model: ServedModel, tokenIds: number[], positions: readonly (Position | null)[], k: number, asTokenIds: boolean): unknown {
  const limit = k === -1 ? model.vocabSize : k;
  const tokenName = (id: number, entry?: LogprobEntry): string => (asTokenIds ? `token_id:${id}` : (entry?.decoded_token ?? model.decodedToken(id)));
  const textOffset: number[] = [];
  const tokenLogprobs: (number | null)[] = [];
  const tokens: string[] = [];
  const topLogprobs: (Map<string, number> | null)[] = [];
  let lastLength = 0;
  tokenIds.forEach((id, i) => {
    const step = positions[i];
    let token: string;
    if (step === null || step === undefined) {
      token = asTokenIds ? `token_id:${id}` : model.decodedToken(id);
      tokens.push(token);
      tokenLogprobs.push(null);
      topLogprobs.push(null);
    } else {
      const own = step.get(id)!;
      token = tokenName(id, own);
      tokens.push(token);
      tokenLogprobs.push(Math.max(own.logprob, -9999.0));
      // A dict comprehension: a repeated key keeps its first place and takes the later value.
      const top = new Map<string, number>();
      let index = 0;
      for (const [tid, entry] of step) {
        if (limit >= index) top.set(tokenName(tid, entry), Math.max(entry.logprob, -9999.0));
        index++;
      }
      topLogprobs.push(top);
    }
    textOffset.push(textOffset.length === 0 ? 0 : textOffset[textOffset.length - 1] + lastLength);
    lastLength = [...token].length;
  });
  return { text_offset: textOffset, token_logprobs: tokenLogprobs, tokens, top_logprobs: topLogprobs };
}

function promptsOf(req: CompletionRequest): (string | number[])[] {
  const p = req.prompt;
  if (typeof p === 'string') return [p];
  if (p.length === 0 || p.every((v) => typeof v === 'number')) return [p as number[]];
  return p as (string | number[])[];
}

/** Throws an ApiError for anything vLLM would refuse; otherwise the CompletionResponse as vLLM dumps it. */
export async function createCompletion(ctx: ServingContext, rawBody: unknown, requestIdHeader: string | undefined): Promise<unknown> {
  const req = parseCompletionRequest(ctx, rawBody);
  const model = pickModel(ctx, req.model);
  // build_tok_params (TokenizeParams.__post_init__)
  const maxTotal = model.maxModelLen;
  const maxOutput = req.maxTokens || 0;
  if (maxOutput > maxTotal) {
    throw validationError(
      `max_tokens=${maxOutput}cannot be greater than max_model_len=max_total_tokens=${maxTotal}. Please request fewer output tokens.`,
      'max_tokens',
      maxOutput,
    );
  }
  if (req.truncatePromptTokens !== null && req.truncatePromptTokens > maxTotal - maxOutput) {
    throw validationError(
      `truncate_prompt_tokens=${req.truncatePromptTokens} cannot be greater than max_model_len - max_tokens = ${maxTotal - maxOutput}. Please request a smaller truncation size.`,
      'truncate_prompt_tokens',
      req.truncatePromptTokens,
    );
  }
  const needsText = req.echo && !req.returnTokenIds;
  const rendered: RenderedPrompt[] = promptsOf(req).map((p) => {
    if (typeof p === 'string') {
      const ids = renderText(model, p, req.addSpecialTokens, maxTotal, maxOutput, req.truncatePromptTokens, req.truncationSide);
      return { ids, text: p };
    }
    const ids = renderTokens(p, maxTotal, maxOutput, req.truncatePromptTokens, req.truncationSide);
    return { ids, text: needsText ? model.decode(ids, false) : '' };
  });
  const perPrompt = rendered.map((prompt) => {
    const maxTokens = Math.min(maxTotal - prompt.ids.length, req.maxTokens);
    const sampling = buildSampling(req, model, maxTokens);
    verifyForEngine(ctx, model, sampling, prompt.ids);
    return { prompt, sampling };
  });
  const results = await Promise.all(perPrompt.map(({ prompt, sampling }) => generate(model, req, sampling, prompt)));

  // request_output_to_completion_response
  const choices: unknown[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  for (const result of results) {
    const P = result.prompt.ids;
    const promptText = req.returnTokenIds ? '' : result.prompt.text;
    for (const output of result.outputs) {
      let tokenIds: number[];
      let positions: (Position | null)[] | null;
      let text: string;
      if (req.echo) {
        if (req.maxTokens === 0) {
          tokenIds = P;
          positions = result.promptLogprobs;
          text = promptText;
        } else {
          tokenIds = [...P, ...output.tokens];
          positions = req.logprobs === null ? null : [...(result.promptLogprobs ?? []), ...(output.logprobs ?? [])];
          text = promptText + output.text;
        }
      } else {
        tokenIds = output.tokens;
        positions = output.logprobs;
        text = output.text;
      }
      const logprobs = req.logprobs === null ? null : completionLogprobs(model, tokenIds, positions ?? [], req.logprobs, req.returnTokensAsTokenIds);
      choices.push({
        index: choices.length,
        text,
        logprobs,
        finish_reason: output.finishReason,
        stop_reason: output.stopReason,
        token_ids: req.returnTokenIds ? output.tokens : null,
        prompt_logprobs: result.promptLogprobs === null ? null : result.promptLogprobs.map(positionJson),
        prompt_token_ids: req.returnTokenIds ? P : null,
        routed_experts: null,
      });
      completionTokens += output.tokens.length;
    }
    promptTokens += P.length;
  }
  const requestId = requestIdHeader ?? req.requestId ?? randomUUID().replaceAll('-', '');
  return {
    id: `cmpl-${requestId}`,
    object: 'text_completion',
    created: Math.floor(Date.now() / 1000),
    model: model.name,
    choices,
    service_tier: null,
    system_fingerprint: ctx.systemFingerprint,
    usage: {
      prompt_tokens: promptTokens,
      total_tokens: promptTokens + completionTokens,
      completion_tokens: completionTokens,
      prompt_tokens_details: null,
      completion_tokens_details: null,
    },
    kv_transfer_params: null,
    ec_transfer_params: null,
    metrics: null,
  };
}

/** Starlette renders with allow_nan=False: a NaN or infinity in a body is a ValueError, which vLLM answers with 400. */
export function assertJsonCompliant(value: unknown): void {
  const visit = (v: unknown): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw valueError(`Out of range float values are not JSON compliant: ${Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'}`);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v instanceof Map) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
}

