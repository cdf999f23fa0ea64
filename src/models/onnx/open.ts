/** Opening a model folder: files, tokenizer, ONNX session and the checks between them. */
import { FatalError } from '../../errors.js';
import { fingerprintFiles } from '../fingerprint.js';
import { numberAt, readOptionalJson } from '../files.js';
import { modelFileBytes, resolveModel, type ModelFiles } from './resolve.js';
import { sampleContinuations } from './sampling.js';
import { KvBuffers } from './kv-buffers.js';
import { firstNonFinite, scoreSequences } from './scoring.js';
import { openSession, type OpenedSession } from './session.js';
import { splitAttentionAgrees } from './split-check.js';
import { loadTokenizer } from '../tokenizer.js';
import { ModelOutputError } from '../backend.js';
import type { LanguageModel, SampleOptions, TokenScores, Tokenizer } from '../types.js';

export interface OpenOptions {
  readonly dtype?: string;
  /** Skip the tokenizer (tests that feed ids directly to a graph whose tokenizer does not fit it). */
  readonly withoutTokenizer?: boolean;
  readonly batchSize?: number;
  readonly tokenBudget?: number;
  /** Disable the in-graph scoring head (JS log-softmax instead); for comparisons. */
  readonly noHead?: boolean;
  /** Attention that reads the past in place (graph-attention.ts) where the export allows; default on. */
  readonly splitAttention?: boolean;
  /** Most bytes of K/V cache one sampling batch holds; default half the weight files, at least 32 MiB. */
  readonly kvBudget?: number;
  /** onnxruntime's intra-op threads; default every core. */
  readonly threads?: number;
  /** onnxruntime's pool threads spin while they wait for work; default true (session.ts). */
  readonly spinning?: boolean;
}

export interface OpenedModel extends LanguageModel {
  readonly files: ModelFiles;
  readonly opened: OpenedSession;
  /** Scores pre-tokenized sequences; throws ModelOutputError on NaN/Infinity. */
  scoreIds(ids: readonly (readonly number[])[]): Promise<TokenScores[]>;
  sampleIds(prefix: readonly number[], options: SampleOptions): Promise<number[][]>;
}


function contextLength(files: ModelFiles): number {
  const config = readOptionalJson(files.dir, 'config.json');
  const genai = readOptionalJson(files.dir, 'genai_config.json');
  return (
    numberAt(config, 'max_position_embeddings') ??
    numberAt(config, 'n_positions') ??
    numberAt(config, 'n_ctx') ??
    numberAt(genai, 'model', 'context_length') ??
    2048
  );
}

function specialIds(files: ModelFiles) {
  const config = readOptionalJson(files.dir, 'config.json');
  const generation = readOptionalJson(files.dir, 'generation_config.json');
  const genai = readOptionalJson(files.dir, 'genai_config.json');
  return {
    bos: numberAt(generation, 'bos_token_id') ?? numberAt(config, 'bos_token_id') ?? numberAt(genai, 'model', 'bos_token_id'),
    eos: numberAt(generation, 'eos_token_id') ?? numberAt(config, 'eos_token_id') ?? numberAt(genai, 'model', 'eos_token_id'),
    pad: numberAt(generation, 'pad_token_id') ?? numberAt(config, 'pad_token_id') ?? numberAt(genai, 'model', 'pad_token_id'),
  };
}

/** Positions per scoring pass: its fp32 logits within an eighth of the weights, 4 to 48 MiB, a multiple of 64, 128 to 4,096 (see openModel). */
export function defaultTokenBudget(weightBytes: number, vocab: number): number {
  const positions = Math.min(48 * 2 ** 20, Math.max(2 ** 22, weightBytes / 8)) / (4 * vocab);
  return Math.min(4096, Math.max(128, 64 * Math.round(positions / 64)));
}

export async function openModel(spec: string, options: OpenOptions = {}): Promise<OpenedModel> {
  const files = resolveModel(spec, options.dtype);
  const where = `model ${spec}`;
  let tokenizer: Tokenizer | undefined;
  if (!options.withoutTokenizer) {
    if (!files.tokenizerPath) throw new FatalError(`${where}: no tokenizer.json in ${files.dir}; contam needs the tokenizer the model was trained with`);
    tokenizer = loadTokenizer(files.tokenizerPath, files.tokenizerConfigPath, specialIds(files));
  }
  const weightBytes = modelFileBytes(files);
  // A model's sampling batches may hold K/V cache worth half its weights (twice over, counting
  // onnxruntime's copy unless the attention is split): the audit then stays near 1.5x the files.
  // GPT-2 small samples the bench's 100 rows of 40 new tokens (their prefix shared) in two batches
  // of 50; one batch of 100 was 12% faster but peaked at 1,042 MB against 853 (2026-12-07, 2 vCPUs),
  // at the 1,047 MB that 1.5x its files + 300 MB allows.
  const kvBudget = options.kvBudget ?? Math.max(32 * 2 ** 20, Math.floor(weightBytes / 2));
  // The split attention (on unless options.splitAttention is false) saves onnxruntime's copy of a
  // decode batch's cache and costs a few MB of arena where long texts are scored (its Ifs), so it was
  // first kept to models whose K/V budget is at least 64 MiB. With segments sized for the window's
  // cache (segments.ts) it pays for a small model too: gpt2-mini as both models of the
  // two-longest-MMLU-items audit peaked at 467-471 MB with it and 492 MB without (2026-12-07, 2
  // vCPUs), and its 100-row sampling ran 35% faster in the bench.
  let opened = await openSession(files.onnxPath, where, !options.noHead, options.threads, options.splitAttention, options.spinning);
  const config = readOptionalJson(files.dir, 'config.json');
  const vocab = opened.signature.vocab ?? numberAt(config, 'vocab_size');
  if (vocab === undefined) throw new FatalError(`${where}: the logits shape and config.json do not say the vocabulary size`);
  if (!(await splitAttentionAgrees(opened, vocab))) {
    await opened.session.release();
    opened = await openSession(files.onnxPath, where, !options.noHead, options.threads, false, options.spinning);
  }
  if (tokenizer && tokenizer.vocabSize > vocab) {
    await opened.session.release();
    throw new FatalError(
      `${where}: tokenizer and model do not match: ${files.tokenizerPath} can emit ids up to ${tokenizer.vocabSize - 1}, but the model's logits cover only ${vocab} ids (0-${vocab - 1})`,
    );
  }
  const fingerprint = await fingerprintFiles([files.onnxPath, ...files.externalData, ...[files.tokenizerPath, files.tokenizerConfigPath].filter((p): p is string => !!p)]);
  const ids = specialIds(files);
  const pad = tokenizer?.padId ?? ids.pad ?? ids.eos ?? 0;
  // K/V buffers kept with the model: sampling's fixed caches and long windows' segment caches.
  const kvPool = new KvBuffers();
  const scoring = {
    kvPool,
    contextLength: contextLength(files),
    padId: pad < vocab ? pad : 0,
    batchSize: options.batchSize ?? 16,
    // A pass holds its [positions, vocab] logits once; the head's log-softmax and its products go a
    // few positions at a time (graph-head.ts statsBranch, 1 MiB of logits a chunk). Each pass's
    // logits may take an eighth of the weight files, from 4 to 48 MiB (250 positions of GPT-2's
    // vocabulary), and a longer window goes in segments of this size (segments.ts). Measured with
    // the chunked head (4 MiB chunks then; issue 20, one process per budget, texts of 60-120 tokens
    // plus one of 1,000): GPT-2 small scored 1,057 / 1,101 / 1,149 / 1,112 tok/s at 166 / 256 / 384
    // / 512 positions, and the 1,000-token window took 188 / 214 / 387 / 421 MB over the loaded
    // model; in the bench's rounds (ARC and GSM8K texts) 256 scored 928 / 1,023 / 980 tok/s where
    // 166, the old default, scored 864 / 885 / 809. So about 256, for 26 MB; 384 and up double the
    // long window's memory for at most 4% more. At least 128 positions: at 64 a small model split
    // most benchmark texts into segments (gpt2-mini 27% slower); gpt2-mini at 128 / 256 / 512
    // scored 4,233 / 4,315 / 3,852 tok/s for 67 / 128 / 236 MB, so a small model's budget stays at
    // 128. Rounded to a multiple of 64 positions, so that 48 MiB is 256 positions of GPT-2's
    // vocabulary, not 250: the bench's ARC texts (about 85 tokens) go three to a pass at 256 and
    // two at 250, and three bench runs in a row (2026-12-07, 2 vCPUs) scored the 250 default at 868
    // / 1,001 / 878, 881 / 947 / 838 and 986 tok/s where a budget of 256 scored 1,015 / 973 /
    // 1,017, 1,012 / 977 / 925 and 1,012.
    vocab,
    tokenBudget: options.tokenBudget ?? defaultTokenBudget(weightBytes, vocab),
  };
  const eosId = tokenizer?.eosId ?? ids.eos;

  const scoreIds = async (seqs: readonly (readonly number[])[]) => {
    for (const seq of seqs) {
      const bad = seq.find((id) => !Number.isInteger(id) || id < 0 || id >= vocab);
      if (bad !== undefined) throw new ModelOutputError(`token id ${bad} is outside the model's vocabulary (0-${vocab - 1})`);
    }
    const scores = await scoreSequences(opened, seqs, scoring);
    for (const s of scores) {
      const t = firstNonFinite(s);
      if (t >= 0) throw new ModelOutputError(`the model produced non-finite log-probs (NaN or Infinity) at token ${t}`);
    }
    return scores;
  };
  const needTokenizer = (): Tokenizer => {
    if (!tokenizer) throw new Error('model opened without a tokenizer');
    return tokenizer;
  };
  const sampler = { eosId, vocab, kvBudget, tokenBudget: scoring.tokenBudget, kvPool };
  const sampleIds = (prefix: readonly number[], o: SampleOptions) => sampleContinuations(opened, sampler, prefix, o);

  return {
    id: files.spec,
    fingerprint,
    files,
    opened,
    get tokenizer() {
      return needTokenizer();
    },
    contextLength: scoring.contextLength,
    vocabSize: vocab,
    scoreIds,
    scoreTexts: (texts) => scoreIds(texts.map((t) => needTokenizer().encode(t))),
    sampleIds,
    close: () => {
      kvPool.release();
      return opened.session.release();
    },
  };
}
