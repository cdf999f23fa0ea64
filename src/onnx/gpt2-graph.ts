/**
 * The GPT-2 decoder graph in standard ONNX ops (opset 17, for LayerNormalization), mirroring
 * transformers' GPT2LMHeadModel: pre-LayerNorm blocks, fused c_attn, tanh gelu ("gelu_new"),
 * and an lm_head tied to wte. The attention mask is built in the graph from `attention_mask`:
 * query i (absolute position past_len + i) may attend key j iff j <= past_len + i and mask[j] == 1.
 */
import type { GraphBuilder } from './graph-builder.js';
import { layerTensorName, type Gpt2Dims } from './gpt2-weights.js';

/** How past keys and values enter and leave the graph (the two layouts ONNX exports use in the wild). */
export type KvConvention = 'optimum' | 'stacked' | 'none';

export interface NanLogits {
  /** Absolute positions (past included) from which every logit is spoiled. Default 0. */
  readonly fromPosition?: number;
  readonly value?: 'nan' | 'inf';
}

export interface Gpt2GraphOptions {
  readonly kvConvention: KvConvention;
  readonly withLogits: boolean;
  readonly nanLogits?: NanLogits;
}

const B = 'batch_size';
const S = 'sequence_length';
const P = 'past_sequence_length';
const T = 'total_sequence_length';
const LN_EPSILON = 1e-5; // GPT-2's layer_norm_epsilon
const MASKED = -1e9; // replaces masked scores (Where, not an additive bias, so fully masked rows stay finite)

/** Adds nodes and graph inputs/outputs; the initializers (named as in gpt2-weights.ts) must be added separately. */
export function buildGpt2Graph(g: GraphBuilder, dims: Gpt2Dims, options: Gpt2GraphOptions): void {
  const { heads: H, headDim: D, width: E } = dims;
  const scalarF = memo((v: number) => g.constFloat([v], []));
  const scalarI = memo((v: number) => g.constInt64([v], []));
  const ints = (values: number[]): string => g.constInt64(values);
  const ln = (x: string, prefix: string): string =>
    g.op('LayerNormalization', [x, `${prefix}.weight`, `${prefix}.bias`], { axis: { int: -1 }, epsilon: { float: LN_EPSILON } });
  const linear = (x: string, prefix: string): string => g.op('Add', [g.op('MatMul', [x, `${prefix}.weight`]), `${prefix}.bias`]);

  const ids = g.input('input_ids', 'int64', [B, S]);
  const mask = g.input('attention_mask', 'int64', [B, T]);
  const positions = g.input('position_ids', 'int64', [B, S]);
  const pastShape = [B, H, P, D];
  const presentShape = [B, H, T, D];
  const presents: { name: string; dims: (string | number)[] }[] = [];

  // Absolute query and key positions, and the [batch, 1, S, T] boolean mask shared by every layer.
  const seqLen = g.op('Gather', [g.op('Shape', [ids]), scalarI(1)], { axis: { int: 0 } });
  const totalLen = g.op('Gather', [g.op('Shape', [mask]), scalarI(1)], { axis: { int: 0 } });
  const pastLen = g.op('Sub', [totalLen, seqLen]);
  const queryPos = g.op('Range', [pastLen, totalLen, scalarI(1)]);
  const keyPos = g.op('Range', [scalarI(0), totalLen, scalarI(1)]);
  const causal = g.op('LessOrEqual', [g.op('Unsqueeze', [keyPos, ints([0])]), g.op('Unsqueeze', [queryPos, ints([1])])]);
  const padding = g.op('Unsqueeze', [g.op('Cast', [mask], { to: { int: 9 /* BOOL */ } }), ints([1, 2])]);
  const allowed = g.op('And', [causal, padding]);

  const toHeads = (x: string): string =>
    g.op('Transpose', [g.op('Reshape', [x, ints([0, 0, H, D])])], { perm: { ints: [0, 2, 1, 3] } });

  let h = g.op('Add', [
    g.op('Gather', ['transformer.wte.weight', ids], { axis: { int: 0 } }),
    g.op('Gather', ['transformer.wpe.weight', positions], { axis: { int: 0 } }),
  ]);
  for (let layer = 0; layer < dims.layers; layer++) {
    const name = (suffix: string): string => layerTensorName(layer, suffix);
    const qkv = linear(ln(h, name('ln_1')), name('attn.c_attn'));
    const [q, k, v] = g.node('Split', [qkv, ints([E, E, E])], { axis: { int: 2 } }, 3).map(toHeads);
    let key = k;
    let value = v;
    if (options.kvConvention === 'optimum') {
      key = g.op('Concat', [g.input(`past_key_values.${layer}.key`, 'float32', pastShape), k], { axis: { int: 2 } }, `present.${layer}.key`);
      value = g.op('Concat', [g.input(`past_key_values.${layer}.value`, 'float32', pastShape), v], { axis: { int: 2 } }, `present.${layer}.value`);
      presents.push({ name: key, dims: presentShape }, { name: value, dims: presentShape });
    } else if (options.kvConvention === 'stacked') {
      const past = g.input(`past_${layer}`, 'float32', [2, ...pastShape]);
      key = g.op('Concat', [g.op('Gather', [past, scalarI(0)], { axis: { int: 0 } }), k], { axis: { int: 2 } });
      value = g.op('Concat', [g.op('Gather', [past, scalarI(1)], { axis: { int: 0 } }), v], { axis: { int: 2 } });
      const stacked = [key, value].map((x) => g.op('Unsqueeze', [x, ints([0])]));
      presents.push({ name: g.op('Concat', stacked, { axis: { int: 0 } }, `present_${layer}`), dims: [2, ...presentShape] });
    }
    const keyT = g.op('Transpose', [key], { perm: { ints: [0, 1, 3, 2] } });
    const scores = g.op('Mul', [g.op('MatMul', [q, keyT]), scalarF(1 / Math.sqrt(D))]);
    const probs = g.op('Softmax', [g.op('Where', [allowed, scores, scalarF(MASKED)])], { axis: { int: -1 } });
    const context = g.op('Transpose', [g.op('MatMul', [probs, value])], { perm: { ints: [0, 2, 1, 3] } });
    h = g.op('Add', [h, linear(g.op('Reshape', [context, ints([0, 0, E])]), name('attn.c_proj'))]);
    const hidden = geluTanh(g, linear(ln(h, name('ln_2')), name('mlp.c_fc')), scalarF);
    h = g.op('Add', [h, linear(hidden, name('mlp.c_proj'))]);
  }

  if (!options.withLogits) {
    g.op('LayerNormalization', [h, 'transformer.ln_f.weight', 'transformer.ln_f.bias'], { axis: { int: -1 }, epsilon: { float: LN_EPSILON } }, 'last_hidden_state');
    g.output('last_hidden_state', 'float32', [B, S, E]);
  } else {
    const lmHead = g.op('Transpose', ['transformer.wte.weight'], { perm: { ints: [1, 0] } });
    const logits = g.op('MatMul', [ln(h, 'transformer.ln_f'), lmHead], {}, options.nanLogits ? undefined : 'logits');
    if (options.nanLogits) {
      // Adding NaN (or +Inf) to every logit at positions >= fromPosition; earlier positions stay intact.
      const spoiled = g.op('GreaterOrEqual', [queryPos, scalarI(options.nanLogits.fromPosition ?? 0)]);
      const bad = scalarF(options.nanLogits.value === 'inf' ? Infinity : NaN);
      const offset = g.op('Where', [g.op('Unsqueeze', [spoiled, ints([1])]), bad, scalarF(0)]);
      g.op('Add', [logits, offset], {}, 'logits');
    }
    g.output('logits', 'float32', [B, S, dims.vocab]);
  }
  for (const present of presents) g.output(present.name, 'float32', present.dims);
}

/** gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). Gelu with approximate='tanh' needs opset 20. */
function geluTanh(g: GraphBuilder, x: string, scalar: (v: number) => string): string {
  const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
  const inner = g.op('Mul', [g.op('Add', [x, g.op('Mul', [cube, scalar(0.044715)])]), scalar(Math.sqrt(2 / Math.PI))]);
  return g.op('Mul', [g.op('Mul', [x, scalar(0.5)]), g.op('Add', [g.op('Tanh', [inner]), scalar(1)])]);
}

function memo(make: (v: number) => string): (v: number) => string {
  const cache = new Map<number, string>();
  return (v) => {
    let name = cache.get(v);
    if (name === undefined) cache.set(v, (name = make(v)));
    return name;
  };
}
