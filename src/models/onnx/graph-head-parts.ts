/**
 * What the scoring head's graphs share (graph-head.ts, and graph-lm-head.ts when the LM head's
 * MatMul moves into it): the names contam feeds and fetches, and the per-row numbers.
 */
import { GraphBuilder, type TensorData } from '../../onnx/graph-builder.js';

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

export const lastAxis = { axis: { int: -1 } };
export const tensor = (data: TensorData, dims: readonly number[]) => ({ tensor: { data, dims } });

/** Every node is named after its first output, so the head's nodes keep clear of the model's under contam/. */
export const headBuilder = (name?: string): GraphBuilder => new GraphBuilder({ name, nodeName: (_, outputs) => `contam/${outputs[0]}` });

/** The moments and the target's log-prob of each row of a [rows, vocab] logits chunk: [rows, 1] each. */
export function rowStats(g: GraphBuilder, chunk: string, targets: string): { lp: string; mean: string; std: string } {
  const lsm = g.op('LogSoftmax', [chunk], lastAxis, 'contam/lsm');
  const p = g.op('Exp', [lsm], {}, 'contam/p');
  const plp = g.op('Mul', [p, lsm], {}, 'contam/plp');
  // A MatMul with a ones vector sums the last axis in every opset (ReduceSum changed in 13).
  const mean = g.op('MatMul', [plp, 'contam/ones'], {}, 'contam/mean');
  const dev = g.op('Sub', [lsm, mean], {}, 'contam/dev');
  const dev2 = g.op('Mul', [dev, dev], {}, 'contam/dev2');
  const pdev2 = g.op('Mul', [p, dev2], {}, 'contam/pdev2');
  const variance = g.op('MatMul', [pdev2, 'contam/ones'], {}, 'contam/var');
  const std = g.op('Sqrt', [variance], {}, 'contam/std');
  const lp = g.op('GatherElements', [lsm, targets], lastAxis, 'contam/lp');
  return { lp, mean, std };
}

export const NUMBERS = ['lp', 'mean', 'std'] as const;

/**
 * In a Loop body whose iteration number is `i`: takes rows [i x step, (i + 1) x step) of a value
 * (`step` a [1] int64). Slice clamps the end at the last row, so the last chunk may be shorter.
 */
export function chunkSlicer(g: GraphBuilder, i: string, step: string): (x: string, name: string) => string {
  const from = g.op('Mul', [g.op('Reshape', [i, 'contam/one_dim'], {}, 'contam/i1'), step], {}, 'contam/from');
  const to = g.op('Add', [from, step], {}, 'contam/to');
  return (x, name) => g.op('Slice', [x, from, to, 'contam/axis_0'], {}, `contam/${name}`);
}
