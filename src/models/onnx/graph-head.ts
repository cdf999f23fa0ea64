/**
 * Appends a scoring and sampling head to a causal LM's ONNX graph, so that onnxruntime returns
 * per-position [batch, seq, 1] numbers instead of [batch, seq, vocab] logits. Copying full logits
 * out of onnxruntime-node costs more than the forward pass itself (performance-notes.md, obs. 1),
 * and the log-softmax is 20x faster inside the graph than in JS.
 *
 * Outputs added:
 *  - contam_logprob [b,s,1]: log p(target_ids[b,s] | ids <= s), target_ids fed as contam_target_ids
 *  - contam_mean    [b,s,1]: sum_v p(v) log p(v) at position s (Min-K%++'s mu)
 *  - contam_std     [b,s,1]: sqrt(sum_v p(v) (log p(v) - mu)^2) (Min-K%++'s sigma, two-pass form)
 *  - contam_topk_values / contam_topk_indices [b,k]: the k largest logits at the last position,
 *    k fed as contam_top_k, for sampling.
 * onnxruntime runs every node whatever is fetched, so sampling passes compute the per-position
 * numbers too; a long prefix is therefore prefilled in segments (sampling.ts). Slicing the logits
 * to skip them cost a [positions, vocab] copy in every scoring pass, 4-6% of scoring speed.
 * Only standard ops valid from opset 11 on, so exports from old tooling work too.
 */
import { bytesField, concat, intField, messageField, readFields, stringField, type Bytes } from './protobuf-wire.js';

const FLOAT = 1;
const INT64 = 7;
const BOOL = 9;
const ATTR_INT = 2;
const ATTR_TENSOR = 4;

export const HEAD = {
  targetIds: 'contam_target_ids',
  topK: 'contam_top_k',
  score: 'contam_score',
  tailFrom: 'contam_tail_from',
  embeds: 'contam_embeds',
  logprob: 'contam_logprob',
  mean: 'contam_mean',
  std: 'contam_std',
  topValues: 'contam_topk_values',
  topIndices: 'contam_topk_indices',
} as const;

const ATTR_GRAPH = 5;

type Attr = { name: string; int?: number; tensor?: Bytes; graph?: Bytes };

function attribute(a: Attr): Bytes {
  if (a.tensor) return messageField(5, [stringField(1, a.name), bytesField(5, a.tensor), intField(20, ATTR_TENSOR)]);
  if (a.graph) return messageField(5, [stringField(1, a.name), bytesField(6, a.graph), intField(20, ATTR_GRAPH)]);
  return messageField(5, [stringField(1, a.name), intField(3, a.int ?? 0), intField(20, ATTR_INT)]);
}

function node(op: string, inputs: string[], outputs: string[], attrs: Attr[] = []): Bytes {
  const parts: Bytes[] = [
    ...inputs.map((i) => stringField(1, i)),
    ...outputs.map((o) => stringField(2, o)),
    stringField(3, `contam/${outputs[0]}`),
    stringField(4, op),
  ];
  for (const a of attrs) parts.push(attribute(a));
  return bytesField(1, concat(parts));
}

function tensor(dims: number[], type: number, raw: Uint8Array): Bytes {
  return concat([...dims.map((d) => intField(1, d)), intField(2, type), bytesField(9, raw)]);
}

function valueInfo(field: number, name: string, elemType: number, dims: (string | number)[]): Bytes {
  const shape = dims.map((d) => messageField(1, [typeof d === 'number' ? intField(1, d) : stringField(2, d)]));
  const tensorType = messageField(1, [intField(1, elemType), messageField(2, shape)]);
  return messageField(field, [stringField(1, name), messageField(2, [tensorType])]);
}

/** The default-domain opset a model imports (ModelProto.opset_import, field 8). */
export function defaultOpset(model: Bytes): number | undefined {
  for (const f of readFields(model)) {
    if (f.field !== 8 || !f.bytes) continue;
    let domain = '';
    let version: number | undefined;
    for (const g of readFields(f.bytes)) {
      if (g.field === 1 && g.bytes) domain = new TextDecoder().decode(g.bytes);
      if (g.field === 2 && g.value !== undefined) version = Number(g.value);
    }
    if (domain === '' || domain === 'ai.onnx') return version;
  }
  return undefined;
}

export interface HeadOptions {
  readonly logitsName: string;
  readonly logitsFp16: boolean;
  readonly vocab: number;
  /** KV outputs whose last position is also returned alone (see newKvName). */
  readonly presents?: readonly { readonly name: string; readonly lengthAxis: number; readonly elemType: number; readonly rank: number }[];
  /** The hidden embedding Gather's output, fed from `contam_embeds` instead (embedding.ts). */
  readonly embeds?: { readonly output: string; readonly width: number; readonly elemType: number };
}

/**
 * The new position's K or V alone, [.., batch, heads, head_dim] (the length axis gathered away): a
 * decode step can return a few KB per row instead of copying the whole cache out of onnxruntime.
 */
export const newKvName = (present: string): string => `contam_new_${present}`;

/**
 * The last positions of a present, from contam_tail_from (negative: -new tokens) on, length axis kept:
 * a segment of a long text returns its own K/V instead of a copy of the whole grown cache (segments.ts).
 * Other passes feed -1, so the slice onnxruntime runs anyway copies one position.
 */
export const tailKvName = (present: string): string => `contam_tail_${present}`;

const per = ['batch_size', 'sequence_length', 1];

/** The per-position numbers, run when contam_score is true (a scoring pass). */
function statsBranch(logits: string): Bytes {
  return concat([
    node('LogSoftmax', [logits], ['contam/lsm'], [{ name: 'axis', int: -1 }]),
    node('Exp', ['contam/lsm'], ['contam/p']),
    node('Mul', ['contam/p', 'contam/lsm'], ['contam/plp']),
    // A MatMul with a ones vector sums the last axis in every opset (ReduceSum changed in 13).
    node('MatMul', ['contam/plp', 'contam/ones'], ['contam/mean']),
    node('Sub', ['contam/lsm', 'contam/mean'], ['contam/dev']),
    node('Mul', ['contam/dev', 'contam/dev'], ['contam/dev2']),
    node('Mul', ['contam/p', 'contam/dev2'], ['contam/pdev2']),
    node('MatMul', ['contam/pdev2', 'contam/ones'], ['contam/var']),
    node('Sqrt', ['contam/var'], ['contam/std']),
    node('GatherElements', ['contam/lsm', HEAD.targetIds], ['contam/lp'], [{ name: 'axis', int: -1 }]),
    stringField(2, 'contam_stats'),
    valueInfo(12, 'contam/lp', FLOAT, per),
    valueInfo(12, 'contam/mean', FLOAT, per),
    valueInfo(12, 'contam/std', FLOAT, per),
  ]);
}

/**
 * Empty numbers for sampling passes: onnxruntime runs every node whatever is fetched, and the
 * log-softmax with its [rows, vocab] intermediates cost a decode step about 5% for nothing. An If
 * skips them without the copy a slice of the logits would cost every scoring pass.
 */
function emptyBranch(): Bytes {
  const empty = (name: string) => node('Constant', [], [name], [{ name: 'value', tensor: tensor([0, 0, 1], FLOAT, new Uint8Array(0)) }]);
  return concat([
    empty('contam/no_lp'),
    empty('contam/no_mean'),
    empty('contam/no_std'),
    stringField(2, 'contam_no_stats'),
    valueInfo(12, 'contam/no_lp', FLOAT, [0, 0, 1]),
    valueInfo(12, 'contam/no_mean', FLOAT, [0, 0, 1]),
    valueInfo(12, 'contam/no_std', FLOAT, [0, 0, 1]),
  ]);
}

/** A GraphProto fragment that, appended as a second ModelProto.graph field, merges into the graph. */
export function headGraph(options: HeadOptions): Bytes {
  const { vocab } = options;
  const ones = new Float32Array(vocab).fill(1);
  const minusOne = new BigInt64Array([-1n]);
  const logits = options.logitsFp16 ? 'contam/logits32' : options.logitsName;
  const nodes: Bytes[] = [];
  if (options.logitsFp16) nodes.push(node('Cast', [options.logitsName], [logits], [{ name: 'to', int: FLOAT }]));
  nodes.push(
    node('Constant', [], ['contam/ones'], [{ name: 'value', tensor: tensor([vocab, 1], FLOAT, new Uint8Array(ones.buffer)) }]),
    node('Constant', [], ['contam/last_index'], [{ name: 'value', tensor: tensor([], INT64, new Uint8Array(minusOne.buffer)) }]),
    node('Constant', [], ['contam/no_end'], [{ name: 'value', tensor: tensor([1], INT64, new Uint8Array(new BigInt64Array([2n ** 62n]).buffer)) }]),
    node('If', [HEAD.score], [HEAD.logprob, HEAD.mean, HEAD.std], [
      { name: 'then_branch', graph: statsBranch(logits) },
      { name: 'else_branch', graph: emptyBranch() },
    ]),
    node('Gather', [logits, 'contam/last_index'], ['contam/last'], [{ name: 'axis', int: 1 }]),
    node('TopK', ['contam/last', HEAD.topK], [HEAD.topValues, HEAD.topIndices], [{ name: 'axis', int: -1 }]),
  );
  const b = 'batch_size';
  const s = 'sequence_length';
  const kvOutputs: Bytes[] = [];
  const axes = new Set<number>();
  for (const present of options.presents ?? []) {
    nodes.push(node('Gather', [present.name, 'contam/last_index'], [newKvName(present.name)], [{ name: 'axis', int: present.lengthAxis }]));
    const dims = Array.from({ length: present.rank - 1 }, (_, i) => `contam_kv_${i}`);
    kvOutputs.push(valueInfo(12, newKvName(present.name), present.elemType, dims));
    if (!axes.has(present.lengthAxis)) {
      axes.add(present.lengthAxis);
      nodes.push(node('Constant', [], [`contam/axis_${present.lengthAxis}`], [{ name: 'value', tensor: tensor([1], INT64, new Uint8Array(new BigInt64Array([BigInt(present.lengthAxis)]).buffer)) }]));
    }
    nodes.push(node('Slice', [present.name, HEAD.tailFrom, 'contam/no_end', `contam/axis_${present.lengthAxis}`], [tailKvName(present.name)]));
    const tailDims = Array.from({ length: present.rank }, (_, i) => `contam_tail_${i}`);
    kvOutputs.push(valueInfo(12, tailKvName(present.name), present.elemType, tailDims));
  }
  if (options.presents?.length) kvOutputs.push(valueInfo(11, HEAD.tailFrom, INT64, [1]));
  if (options.embeds) {
    nodes.push(node('Identity', [HEAD.embeds], [options.embeds.output]));
    kvOutputs.push(valueInfo(11, HEAD.embeds, options.embeds.elemType, [b, s, options.embeds.width]));
  }
  return concat([
    ...nodes,
    ...kvOutputs,
    valueInfo(11, HEAD.targetIds, INT64, [b, s, 1]),
    valueInfo(11, HEAD.topK, INT64, [1]),
    valueInfo(11, HEAD.score, BOOL, [1]),
    valueInfo(12, HEAD.logprob, FLOAT, [b, s, 1]),
    valueInfo(12, HEAD.mean, FLOAT, [b, s, 1]),
    valueInfo(12, HEAD.std, FLOAT, [b, s, 1]),
    valueInfo(12, HEAD.topValues, FLOAT, [b, 'contam_k']),
    valueInfo(12, HEAD.topIndices, INT64, [b, 'contam_k']),
  ]);
}
