/**
 * Writes a GPT-2-style fixture model folder: model.onnx (+ model.onnx.data), config.json,
 * generation_config.json, tokenizer.json and tokenizer_config.json, all from a seed.
 * Tests and demos use it instead of downloaded models; `gpt2FixtureWeights` gives the same weights
 * to an independent implementation. GPT-2-small sizes (12 x 768, 50257 vocab) work with
 * `externalData: true`, holding one tensor at a time in memory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder } from './graph-builder.js';
import { buildGpt2Graph, type KvConvention, type NanLogits } from './gpt2-graph.js';
import { gpt2FixtureTensors, type Gpt2Dims } from './gpt2-weights.js';
import { END_OF_TEXT_ID, fixtureVocabulary, tokenizerConfig, tokenizerJson } from './fixture-tokenizer.js';

export type { KvConvention, NanLogits } from './gpt2-graph.js';
export type { Gpt2Dims } from './gpt2-weights.js';

export interface Gpt2FixtureOptions {
  /** Default 2. */
  readonly layers?: number;
  /** n_embd. Default 64. */
  readonly width?: number;
  /** Default 4; must divide width. */
  readonly heads?: number;
  /** Vocabulary size. Default: 2 specials + the words (256 with the default words); larger pads with `tok{id}`. */
  readonly vocab?: number;
  /** Word-level vocabulary after `<|endoftext|>` (id 0) and `<unk>` (id 1). No whitespace inside a word. */
  readonly words?: readonly string[];
  /** n_positions. Default 128. */
  readonly context?: number;
  /** Default 1234. */
  readonly seed?: number;
  /** Weight standard deviation. Default 0.02 (GPT-2); larger gives peakier next-token distributions. */
  readonly std?: number;
  /** Default 'optimum' (past_key_values.{i}.key / present.{i}.key). */
  readonly kvConvention?: KvConvention;
  /** Default true; false outputs `last_hidden_state` instead of `logits`. */
  readonly withLogits?: boolean;
  /** Spoil logits with NaN or +Inf from a position on (true = NaN everywhere). */
  readonly nanLogits?: boolean | NanLogits;
  /** Put weights in model.onnx.data. Default false. */
  readonly externalData?: boolean;
}

export interface Gpt2Fixture {
  readonly dir: string;
  readonly modelPath: string;
  readonly externalDataPath: string | undefined;
  readonly dims: Gpt2Dims;
  /** Token strings by id. */
  readonly vocabulary: readonly string[];
  readonly kvConvention: KvConvention;
  /** `<|endoftext|>`: bos, eos and pad. */
  readonly endOfTextId: number;
}

export interface Gpt2FixtureWeights {
  readonly dims: Gpt2Dims;
  readonly vocabulary: readonly string[];
  /** Hugging Face GPT-2 names, e.g. `transformer.h.0.attn.c_attn.weight` ([in, out] layout). */
  readonly tensors: ReadonlyMap<string, Float32Array>;
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`gpt2 fixture: ${name} must be a positive integer, got ${value}`);
  return value;
}

export function resolveGpt2Fixture(options: Gpt2FixtureOptions = {}): { dims: Gpt2Dims; vocabulary: string[] } {
  const vocabulary = fixtureVocabulary(options.words, options.vocab);
  const width = positiveInt('width', options.width ?? 64);
  const heads = positiveInt('heads', options.heads ?? 4);
  if (width % heads !== 0) throw new Error(`gpt2 fixture: width ${width} is not a multiple of heads ${heads}`);
  const dims: Gpt2Dims = {
    layers: positiveInt('layers', options.layers ?? 2),
    width,
    heads,
    headDim: width / heads,
    vocab: vocabulary.length,
    context: positiveInt('context', options.context ?? 128),
    seed: options.seed ?? 1234,
    std: options.std ?? 0.02,
  };
  return { dims, vocabulary };
}

/** The exact weights `writeGpt2Fixture` writes for the same options (held in memory: keep models small). */
export function gpt2FixtureWeights(options: Gpt2FixtureOptions = {}): Gpt2FixtureWeights {
  const { dims, vocabulary } = resolveGpt2Fixture(options);
  const tensors = new Map<string, Float32Array>();
  for (const tensor of gpt2FixtureTensors(dims)) tensors.set(tensor.name, tensor.data);
  return { dims, vocabulary, tensors };
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export async function writeGpt2Fixture(dir: string, options: Gpt2FixtureOptions = {}): Promise<Gpt2Fixture> {
  const { dims, vocabulary } = resolveGpt2Fixture(options);
  const kvConvention = options.kvConvention ?? 'optimum';
  const nanLogits = options.nanLogits === true ? {} : options.nanLogits || undefined;
  mkdirSync(dir, { recursive: true });
  const modelPath = join(dir, 'model.onnx');
  const externalDataPath = options.externalData ? `${modelPath}.data` : undefined;

  const graph = new GraphBuilder({ name: 'gpt2_fixture', opset: 17, irVersion: 8, externalDataPath });
  // Each tensor goes into the builder (and, with external data, straight to disk) before the next is made.
  for (const tensor of gpt2FixtureTensors(dims)) graph.initializer(tensor.name, tensor.data, tensor.dims);
  buildGpt2Graph(graph, dims, { kvConvention, withLogits: options.withLogits ?? true, nanLogits });
  graph.save(modelPath);

  const special = { bos_token_id: END_OF_TEXT_ID, eos_token_id: END_OF_TEXT_ID };
  writeJson(join(dir, 'config.json'), {
    model_type: 'gpt2',
    architectures: ['GPT2LMHeadModel'],
    n_layer: dims.layers,
    n_head: dims.heads,
    n_embd: dims.width,
    vocab_size: dims.vocab,
    n_positions: dims.context,
    n_ctx: dims.context,
    layer_norm_epsilon: 1e-5,
    activation_function: 'gelu_new',
    tie_word_embeddings: true,
    use_cache: kvConvention !== 'none',
    ...special,
    pad_token_id: END_OF_TEXT_ID,
    // Not a Hugging Face key: records how this folder was made, for whoever debugs a test with it.
    contam_fixture: { seed: dims.seed, std: dims.std, kvConvention, withLogits: options.withLogits ?? true, nanLogits: nanLogits ?? null },
  });
  writeJson(join(dir, 'generation_config.json'), special);
  writeJson(join(dir, 'tokenizer.json'), tokenizerJson(vocabulary));
  writeJson(join(dir, 'tokenizer_config.json'), tokenizerConfig(dims.context));
  return { dir, modelPath, externalDataPath, dims, vocabulary, kvConvention, endOfTextId: END_OF_TEXT_ID };
}
