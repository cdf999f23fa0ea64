/**
 * The LM head's MatMul moved into the scoring head, for a model whose W is small (issue 20, goal 4).
 *
 * An export ends in `logits = MatMul(hidden, W)`, [batch, seq, vocab], and onnxruntime computes it
 * for every position of every pass, though the head reads a scoring pass's logits a chunk at a time
 * and a sampling pass's at the last position only. So a session's arena held a whole pass's logits:
 * for the tiny Llama in ../shared/data (1 MB of W, a 32,000-token vocabulary) its 125-position
 * segments' fp16 logits were most of what the arena held, more than the model.
 *
 * With this plan the head takes `hidden` instead, and one Loop at the top of the graph multiplies
 * rows by W as it goes: a scoring pass a chunk of positions per turn, whose numbers it then computes
 * (graph-head-parts.ts rowStats); a sampling pass the last position of each row, in one turn, and
 * their top k. The MatMul and the `logits` graph output are hidden, so nothing makes the whole
 * product. W stays an initializer of the main graph read by the Loop's body: onnxruntime packs a
 * constant for a kernel one graph level down, not two, so the MatMul must not sit inside an If.
 *
 * Only where W is at most LM_HEAD_MAX_BYTES: each chunk reads all of W again, which costs nothing
 * while W stays in the CPU's cache and a lot when it does not. With gpt2-mini's W (51 MB) scoring
 * was 25-37% slower in 10-row chunks, and still 4-6% slower with 80-row products scored 20 rows at a
 * time, whose audit then peaked higher than with the whole logits (453 MB against 444; in-process
 * A/Bs and child runs, 2026-12-07). The tiny Llama's scored as fast or faster, and its whole audit
 * took 14.4 s against 14.0 (medians of seven interleaved pairs, ratios 0.92-1.16).
 *
 * Only the plain pattern is taken: `logits` made by a MatMul whose W is a 2-D initializer [width,
 * vocab], or a Transpose of one [vocab, width] (GPT-2's tied embedding), so `hidden` is [batch,
 * seq, width].
 */
import type { GraphBuilder } from '../../onnx/graph-builder.js';
import { DataType } from '../../onnx/proto.js';
import { eachGraphEntry, graphNodes, isStandardOp, parseInitializer, producers, type InitializerInfo } from './graph-edit.js';
import { HEAD, NUMBERS, chunkSlicer, headBuilder, lastAxis, rowStats, tensor } from './graph-head-parts.js';
import { readFields, utf8, type Bytes } from './protobuf-wire.js';

/** The largest W moved into the head (see above). */
export const LM_HEAD_MAX_BYTES = 8 * 2 ** 20;

export interface LmHeadPlan {
  /** The MatMul's activations, [batch, seq, width]. */
  readonly hidden: string;
  /** W as the MatMul reads it, [width, vocab]. */
  readonly weight: string;
  /** True when W and the logits are float16 (widened a chunk at a time). */
  readonly fp16: boolean;
  /** Tag of the MatMul node (graph-edit.ts hideNode). */
  readonly node: number;
  /** Tag of the `logits` graph output (graph-edit.ts hideOutput). */
  readonly output: number;
}

/** The LM head to move, or undefined when `logits` is made some other way or W is large. */
export function planLmHead(model: Bytes, logitsName: string, vocab: number): LmHeadPlan | undefined {
  const nodes = graphNodes(model);
  const matmul = producers(nodes).get(logitsName);
  if (!matmul || matmul.op !== 'MatMul' || !isStandardOp(matmul) || matmul.inputs.length !== 2) return undefined;
  const [hidden, weight] = matmul.inputs;
  const transpose = nodes.find((n) => n.outputs[0] === weight && n.op === 'Transpose' && isStandardOp(n));
  const perm = transpose?.ints.perm;
  if (perm && !(perm.length === 2 && perm[0] === 1 && perm[1] === 0)) return undefined;
  const storedName = transpose ? transpose.inputs[0] : weight;
  let stored: InitializerInfo | undefined;
  eachGraphEntry(model, 5, (payload) => {
    const { name, info } = parseInitializer(payload, -model.byteOffset);
    if (name === storedName) stored = info;
  });
  const dims = transpose ? stored?.dims.slice().reverse() : stored?.dims;
  if (!stored || !dims || dims.length !== 2 || dims[1] !== vocab) return undefined;
  const elem = stored.type === DataType.FLOAT ? 4 : stored.type === DataType.FLOAT16 ? 2 : 0;
  if (!elem || dims[0] * dims[1] * elem > LM_HEAD_MAX_BYTES) return undefined;
  let output: number | undefined;
  eachGraphEntry(model, 12, (payload, at) => {
    for (const f of readFields(payload)) if (f.field === 1 && f.bytes && utf8(f.bytes) === logitsName) output = at;
  });
  if (output === undefined) return undefined;
  return { hidden, weight, fp16: stored.type === DataType.FLOAT16, node: matmul.start, output };
}

/**
 * Which rows a pass multiplies by W, picked by contam_score: a scoring pass every position,
 * [batch x seq, width], `contam/chunk_1d` at a time, and no top-k (k = 0); a sampling pass the
 * last position of each row, [batch, width], in one turn, with contam_top_k.
 */
function pickRows(lm: LmHeadPlan, scoring: boolean): GraphBuilder {
  const g = headBuilder(scoring ? 'contam_pick_scoring' : 'contam_pick_sampling');
  const ints = (name: string, values: number[]) => g.op('Constant', [], { value: tensor(BigInt64Array.from(values, BigInt), [values.length]) }, name);
  const rows = scoring
    ? g.op('Flatten', [lm.hidden], { axis: { int: 2 } }, 'contam/rows_all')
    : g.op('Gather', [lm.hidden, 'contam/last_index'], { axis: { int: 1 } }, 'contam/rows_last');
  const step = scoring
    ? g.op('Identity', ['contam/chunk_1d'], {}, 'contam/step_chunk')
    : g.op('Slice', [g.op('Shape', [rows], {}, 'contam/rows_shape'), 'contam/axis_0', 'contam/one_dim'], {}, 'contam/step_all');
  const k = scoring ? ints('contam/k_none', [0]) : g.op('Identity', [HEAD.topK], {}, 'contam/k_wanted');
  const shape = scoring ? g.op('Shape', [HEAD.targetIds], {}, 'contam/numbers_shape') : ints('contam/numbers_flat', [-1, 1, 1]);
  g.output(rows, lm.fp16 ? 'float16' : 'float32', ['contam_rows', 'contam_width']);
  g.output(step, 'int64', [1]);
  g.output(k, 'int64', [1]);
  g.output(shape, 'int64', [3]);
  return g;
}

/** Values the Loop carries: the numbers [rows, 1] and the top k [rows, k] (k is 0 when scoring). */
const CARRIED = [
  ...NUMBERS.map((n) => [n, 'float32', ['contam_n', 1]] as const),
  ['top_values', 'float32', ['contam_n', 'contam_k']] as const,
  ['top_indices', 'int64', ['contam_n', 'contam_k']] as const,
];

function carriedOutputs(g: GraphBuilder): void {
  for (const [n, type, dims] of CARRIED) g.output(`contam/${n}_out`, type, dims);
}

const widened = (g: GraphBuilder, fp16: boolean) => (fp16 ? g.op('Cast', ['contam/chunk_logits'], { to: { int: DataType.FLOAT } }, 'contam/chunk_logits32') : 'contam/chunk_logits');

/** A scoring turn: the chunk's numbers scattered into the carried ones; the (empty) top k passed on. */
function chunkNumbers(fp16: boolean): GraphBuilder {
  const g = headBuilder('contam_chunk_numbers');
  const stats = rowStats(g, widened(g, fp16), 'contam/chunk_targets');
  NUMBERS.forEach((n) => g.op('ScatterElements', [`contam/${n}_in`, 'contam/chunk_at', stats[n]], { axis: { int: 0 } }, `contam/${n}_out`));
  g.op('Identity', ['contam/top_values_in'], {}, 'contam/top_values_out');
  g.op('Identity', ['contam/top_indices_in'], {}, 'contam/top_indices_out');
  carriedOutputs(g);
  return g;
}

/** A sampling turn: its rows' top k scattered into the carried [rows, k]; the (one-wide) numbers passed on. */
function chunkTopK(fp16: boolean): GraphBuilder {
  const g = headBuilder('contam_chunk_top');
  const [values, indices] = g.node('TopK', [widened(g, fp16), HEAD.topK], lastAxis, ['contam/chunk_top_values', 'contam/chunk_top_indices']);
  const where = g.op('Expand', ['contam/chunk_at', g.op('Shape', [values], {}, 'contam/chunk_top_shape')], {}, 'contam/chunk_top_rows');
  g.op('ScatterElements', ['contam/top_values_in', where, values], { axis: { int: 0 } }, 'contam/top_values_out');
  g.op('ScatterElements', ['contam/top_indices_in', where, indices], { axis: { int: 0 } }, 'contam/top_indices_out');
  NUMBERS.forEach((n) => g.op('Identity', [`contam/${n}_in`], {}, `contam/${n}_out`));
  carriedOutputs(g);
  return g;
}

/** One turn of the Loop: rows [i x step, (i + 1) x step) multiplied by W, then scored or ranked. */
function chunkBody(lm: LmHeadPlan): GraphBuilder {
  const g = headBuilder('contam_lm_chunk');
  const i = g.input('contam/i', 'int64', []);
  g.input('contam/cond_in', 'bool', []);
  for (const [n, type, dims] of CARRIED) g.input(`contam/${n}_in`, type, dims);
  const slice = chunkSlicer(g, i, 'contam/step');
  g.op('MatMul', [slice('contam/rows', 'chunk_rows'), lm.weight], {}, 'contam/chunk_logits');
  slice('contam/row_index', 'chunk_at');
  slice('contam/targets2d', 'chunk_targets');
  const branches = { then_branch: { graph: chunkNumbers(lm.fp16) }, else_branch: { graph: chunkTopK(lm.fp16) } };
  g.node('If', [HEAD.score], branches, CARRIED.map(([n]) => `contam/${n}_out`));
  g.op('Identity', ['contam/cond_in'], {}, 'contam/cond_out');
  g.output('contam/cond_out', 'bool', []);
  carriedOutputs(g);
  return g;
}

/**
 * Adds to the head's graph `g` the nodes that make contam_logprob, contam_mean, contam_std and
 * contam_topk_values / _indices with the LM head moved in. Uses the constants headPatch declares
 * (contam/ones, contam/last_index, contam/chunk_1d, ...).
 */
export function buildLmHead(g: GraphBuilder, lm: LmHeadPlan): void {
  g.op('Constant', [], { value: tensor(new BigInt64Array(0), [0]) }, 'contam/scalar');
  const picked = ['contam/rows', 'contam/step', 'contam/k', 'contam/numbers_shape_picked'];
  g.node('If', [HEAD.score], { then_branch: { graph: pickRows(lm, true) }, else_branch: { graph: pickRows(lm, false) } }, picked);
  g.op('Reshape', [HEAD.targetIds, 'contam/as_column'], {}, 'contam/targets2d');
  const n = g.op('Gather', [g.op('Shape', ['contam/rows'], {}, 'contam/rows_dims'), 'contam/zero'], { axis: { int: 0 } }, 'contam/n');
  const step = g.op('Reshape', ['contam/step', 'contam/scalar'], {}, 'contam/step_scalar');
  const trips = g.op('Div', [g.op('Add', [n, g.op('Sub', [step, 'contam/one'], {}, 'contam/step_less_one')], {}, 'contam/n_up'), step], {}, 'contam/trips');
  g.op('Reshape', [g.op('Range', ['contam/zero', n, 'contam/one'], {}, 'contam/row_range'), 'contam/as_column'], {}, 'contam/row_index');
  const n1 = g.op('Reshape', [n, 'contam/one_dim'], {}, 'contam/n1');
  const zeros = g.op('ConstantOfShape', [g.op('Concat', [n1, 'contam/one_dim'], { axis: { int: 0 } }, 'contam/n_by_1')], {}, 'contam/zeros');
  const byK = g.op('Concat', [n1, 'contam/k'], { axis: { int: 0 } }, 'contam/n_by_k');
  const topValues = g.op('ConstantOfShape', [byK], {}, 'contam/top_values_0');
  const topIndices = g.op('ConstantOfShape', [byK], { value: tensor(BigInt64Array.of(0n), [1]) }, 'contam/top_indices_0');
  const outs = g.node('Loop', [trips, 'contam/true', zeros, zeros, zeros, topValues, topIndices], { body: { graph: chunkBody(lm) } }, [
    ...NUMBERS.map((x) => `contam/${x}_all`),
    HEAD.topValues,
    HEAD.topIndices,
  ]);
  [HEAD.logprob, HEAD.mean, HEAD.std].forEach((name, k) => g.op('Reshape', [outs[k], 'contam/numbers_shape_picked'], {}, name));
}
