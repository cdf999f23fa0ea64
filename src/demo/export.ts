/**
 * Writes an n-gram model (ngram.ts) as a model folder contam opens like any causal LM: model.onnx,
 * config.json, generation_config.json, tokenizer.json and tokenizer_config.json.
 *
 * The graph evaluates the Kneser-Ney recursion bottom-up at every position, no KV cache (the sampler
 * then re-feeds whole sequences):
 *   prev_s = input_ids shifted right by s, <|endoftext|> in front (the graph's view of a text's start)
 *   P      = dense[contextRow[prev_1 · V + input_ids]]                  [batch, seq, V] (orders 2-3)
 *   for each higher order n: slot = the context's cuckoo slot (cuckoo.ts), P = gamma[slot] · P, then
 *          P[w] += a for its explicit (w, a) pairs (ScatterElements, reduction add)
 *   logits = log P
 * Log-probabilities are valid logits: the runtime's log-softmax leaves them unchanged.
 * attention_mask is declared, as exports have it, and unused: a position only looks back order-1 words.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphBuilder } from '../onnx/graph-builder.js';
import { END_OF_TEXT_ID, tokenizerConfig, tokenizerJson } from '../onnx/fixture-tokenizer.js';
import { buildCuckoo } from './cuckoo.js';
import type { NgramModel } from './ngram.js';

/** Long enough for any demo text and its neighbours; the n-gram itself has no length limit. */
export const DEMO_CONTEXT = 512;

export interface ExportInfo {
  /** Recorded in config.json for whoever inspects the folder. */
  readonly role: 'target' | 'reference';
  readonly trainingTokens: number;
  readonly seed: number;
}

function shifted(g: GraphBuilder, ids: string, s: number): string {
  const padded = g.op('Pad', [ids, g.constInt64([0, s, 0, 0]), g.constInt64([END_OF_TEXT_ID], [])]);
  return g.op('Slice', [padded, g.constInt64([0]), g.constInt64([-s]), g.constInt64([1])]);
}

interface SparseLookup {
  /** [batch, seq, 1] */
  readonly gamma: string;
  /** [batch, seq, K] explicit next words and their discounted mass a. */
  readonly words: string;
  readonly adds: string;
}

/** One sparse order: each position's context slot, and that context's gamma and explicit pairs. */
function sparseLookup(g: GraphBuilder, model: NgramModel, level: number, key: string): SparseLookup {
  const contexts = model.sparse[level];
  const table = buildCuckoo(contexts.map((c) => c.key));
  const slots = table.keys.length;
  const K = model.maxContinuations;
  // Free slots and EMPTY: gamma 1 and no explicit pairs, i.e. the order below unchanged.
  const gamma = new Float32Array(slots).fill(1);
  const words = new BigInt64Array(slots * K);
  const adds = new Float32Array(slots * K);
  contexts.forEach((c, i) => {
    const slot = table.slots[i];
    gamma[slot] = c.gamma;
    c.next.forEach((x, j) => {
      words[slot * K + j] = BigInt(x.word);
      adds[slot * K + j] = x.a;
    });
  });
  const order = level + 4;
  const keys = g.initializer(`order${order}_keys`, BigInt64Array.from(table.keys, BigInt), [slots]);
  const s1 = g.op('Mod', [key, g.constInt64([table.t1], [])]);
  const s2 = g.op('Add', [g.op('Mod', [key, g.constInt64([table.t2], [])]), g.constInt64([table.t1], [])]);
  const hit = (slot: string) => g.op('Equal', [g.op('Gather', [keys, slot]), key]);
  const slot = g.op('Where', [hit(s1), s1, g.op('Where', [hit(s2), s2, g.constInt64([table.empty], [])])]);
  return {
    gamma: g.op('Unsqueeze', [g.op('Gather', [g.initializer(`order${order}_gamma`, gamma, [slots]), slot]), g.constInt64([2])]),
    words: g.op('Gather', [g.initializer(`order${order}_words`, words, [slots, K]), slot]),
    adds: g.op('Gather', [g.initializer(`order${order}_adds`, adds, [slots, K]), slot]),
  };
}

function buildGraph(model: NgramModel): GraphBuilder {
  const V = model.vocab;
  const g = new GraphBuilder({ name: 'contam_demo_ngram', opset: 17, irVersion: 8 });
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
  g.input('attention_mask', 'int64', ['batch_size', 'total_sequence_length']);
  // windowKeys[i]: the (i + 2)-word window ending at each position, oldest word most significant.
  let key = ids;
  const windowKeys: string[] = [];
  for (let s = 1; s < model.order - 1; s++) {
    key = g.op('Add', [g.op('Mul', [shifted(g, ids, s), g.constInt64([V ** s], [])]), key]);
    windowKeys.push(key);
  }
  const row = g.op('Gather', [g.initializer('context_row', model.contextRow, [V * V]), windowKeys[0]]);
  const dense = g.op('Gather', [g.initializer('dense_probs', model.dense, [model.denseRows, V]), row]);
  // The recursion P_n = gamma_n P_{n-1} + a_n unrolled, so the [batch, seq, V] tensor is touched once:
  // P = (prod gamma) P_3 + sum_n (prod_{m>n} gamma_m) a_n, as one scaling and one scatter-add.
  const levels = model.sparse.map((_, level) => sparseLookup(g, model, level, windowKeys[level + 1]));
  let scale: string | undefined;
  const scaled: string[] = [];
  for (const level of [...levels].reverse()) {
    scaled.unshift(scale ? g.op('Mul', [level.adds, scale]) : level.adds);
    scale = scale ? g.op('Mul', [scale, level.gamma]) : level.gamma;
  }
  const base = scale ? g.op('Mul', [dense, scale]) : dense;
  const axis2 = { axis: { int: 2 } };
  const probs = levels.length
    ? g.op('ScatterElements', [base, g.op('Concat', levels.map((l) => l.words), axis2), g.op('Concat', scaled, axis2)], { ...axis2, reduction: { string: 'add' } })
    : base;
  g.op('Log', [probs], {}, 'logits');
  g.output('logits', 'float32', ['batch_size', 'sequence_length', V]);
  return g;
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes the folder; `vocabulary` is token strings by id, specials first (fixtureVocabulary). */
export function exportNgramModel(dir: string, model: NgramModel, vocabulary: readonly string[], info: ExportInfo): void {
  if (vocabulary.length !== model.vocab) throw new Error(`demo export: ${vocabulary.length} tokens for a ${model.vocab}-word model`);
  mkdirSync(dir, { recursive: true });
  buildGraph(model).save(join(dir, 'model.onnx'));
  const special = { bos_token_id: END_OF_TEXT_ID, eos_token_id: END_OF_TEXT_ID, pad_token_id: END_OF_TEXT_ID };
  writeJson(join(dir, 'config.json'), {
    model_type: 'contam-demo-ngram',
    vocab_size: model.vocab,
    n_positions: DEMO_CONTEXT,
    max_position_embeddings: DEMO_CONTEXT,
    use_cache: false,
    ...special,
    // Not a Hugging Face key: how this folder was made.
    contam_demo: { ...info, kind: `interpolated Kneser-Ney ${model.order}-gram`, contexts: [model.denseRows - model.vocab, ...model.sparse.map((x) => x.length)] },
  });
  writeJson(join(dir, 'generation_config.json'), special);
  writeJson(join(dir, 'tokenizer.json'), tokenizerJson(vocabulary));
  writeJson(join(dir, 'tokenizer_config.json'), tokenizerConfig(DEMO_CONTEXT));
}
