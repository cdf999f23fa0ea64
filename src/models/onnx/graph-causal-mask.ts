/**
 * A causal mask that still holds after a past (issue 20, goal 4).
 *
 * onnxruntime-genai's model builder (the tiny Llama fp16 export in ../shared/data is one) builds the
 * causal part of the attention bias as a [seq, seq] triangle, `Where(Less(col, row + 1), 0,
 * ConstantOfShape(min))`, unsqueezes it and expands it to [batch, 1, seq, past + seq]. That is right
 * for a prompt (no past) and for one new token (a [1, 1] triangle broadcasts), and invalid for several
 * new tokens after a past: onnxruntime stops with "invalid expand shape". Such a graph could not score
 * a long window in segments (segments.ts), so a 959-token text went through one pass and each session
 * kept that pass's [959, vocab] tensors in its arena: the tiny Llama as both models of the two longest
 * MMLU items peaked at about 1,000 MB for 2 MB of files.
 *
 * The rewrite replaces that Expand with the general triangle over the shape it expands to: new
 * position i stands at past + i and sees key j when j <= past + i. With no past it is the export's
 * own [seq, seq] triangle, and for one new token it is all zeros, as before. Its fill values are the
 * export's own: the zero the Where takes, and the first element of the ConstantOfShape. The mask in
 * the padding part (attention_mask) is untouched, so cache slots behind a masked gap stay hidden.
 *
 * Only this pattern is rewritten: an Expand whose data comes, through Unsqueezes, from a Where
 * whose condition is a Less and whose fill is a ConstantOfShape.
 */
import type { GraphBuilder } from '../../onnx/graph-builder.js';
import { graphNodes, isStandardOp, producers, type GraphNode } from './graph-edit.js';
import type { Bytes } from './protobuf-wire.js';

export interface CausalMaskPlan {
  /** Tags of the Expand nodes replaced (graph-edit.ts hideNode). */
  readonly hide: readonly number[];
  build(g: GraphBuilder): void;
}

interface Site {
  readonly expand: GraphNode;
  readonly where: GraphNode;
}

/** The triangles to replace, or undefined when the graph has none of this pattern. */
export function planCausalMask(model: Bytes): CausalMaskPlan | undefined {
  const nodes = graphNodes(model);
  const producer = producers(nodes);
  const sites: Site[] = [];
  for (const expand of nodes) {
    if (expand.op !== 'Expand' || !isStandardOp(expand) || expand.inputs.length !== 2) continue;
    let data = producer.get(expand.inputs[0]);
    while (data && data.op === 'Unsqueeze' && isStandardOp(data)) data = producer.get(data.inputs[0]);
    if (!data || data.op !== 'Where' || !isStandardOp(data) || data.inputs.length !== 3) continue;
    if (producer.get(data.inputs[0])?.op !== 'Less' || producer.get(data.inputs[2])?.op !== 'ConstantOfShape') continue;
    sites.push({ expand, where: data });
  }
  if (sites.length === 0) return undefined;
  return { hide: sites.map((s) => s.expand.start), build: (g) => sites.forEach((site, i) => buildMask(g, site, i)) };
}

function buildMask(g: GraphBuilder, { expand, where }: Site, i: number): void {
  const name = (what: string) => `contam/causal_${i}_${what}`;
  const scalar = (what: string, value: number) => g.op('Constant', [], { value: { tensor: { data: BigInt64Array.of(BigInt(value)), dims: [] } } }, name(what));
  const shape = expand.inputs[1];
  const one = scalar('one', 1);
  // The shape expanded to ends [.., seq, past + seq] (negative indices: any rank).
  const seq = g.op('Gather', [shape, scalar('seq_at', -2)], { axis: { int: 0 } }, name('seq'));
  const total = g.op('Gather', [shape, scalar('total_at', -1)], { axis: { int: 0 } }, name('total'));
  const rows = g.op('Range', [g.op('Sub', [total, seq], {}, name('past')), total, one], {}, name('rows'));
  const column = g.op('Constant', [], { value: { tensor: { data: BigInt64Array.of(-1n, 1n), dims: [2] } } }, name('as_column'));
  const limit = g.op('Add', [g.op('Reshape', [rows, column], {}, name('rows_column')), one], {}, name('limit'));
  const cols = g.op('Range', [scalar('zero', 0), total, one], {}, name('cols'));
  const seen = g.op('Less', [cols, limit], {}, name('seen'));
  const flat = g.op('Constant', [], { value: { tensor: { data: BigInt64Array.of(-1n), dims: [1] } } }, name('flat'));
  const fill = g.op('Gather', [g.op('Reshape', [where.inputs[2], flat], {}, name('fill_flat')), scalar('first', 0)], { axis: { int: 0 } }, name('fill'));
  const mask = g.op('Where', [seen, where.inputs[1], fill], {}, name('mask'));
  g.op('Expand', [mask, shape], {}, expand.outputs[0]);
}
