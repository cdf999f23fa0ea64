/**
 * Attention over the past K/V without concatenating it (issue 20, goals 3 and 4).
 *
 * An export's attention builds `present = Concat(past, new)` along the length axis and runs
 * `Q x Transpose(present)` and `probs x present`. onnxruntime runs every node whatever is fetched,
 * so each decode step copied the whole cache into the present (onnxruntime's profiler: 18% of the
 * kernel time of a 50-row GPT-2-small step), and sampling held the cache twice, once in contam's
 * fixed buffers and once in onnxruntime's presents. Both products split over the concatenation:
 *
 *   Q x T(Concat(P, X))   = Concat(Q x T(P), Q x T(X))             along the scores' last axis
 *   probs x Concat(P, X)  = probs[.., :|P|] x P + probs[.., |P|:] x X
 *
 * so the attention reads the past where it lies (buildSplit says on which passes). A third part, a
 * shared past S of batch 1 read before P (`contam_shared_<past>`, empty unless fed), lets the rows
 * of a sampling call share their prefix's K/V instead of each holding a copy of it: MatMul
 * broadcasts S's batch of 1 over the rows, so Q x T(S) and probs[.., :|S|] x S read it once per
 * step. Where a pass takes the export's own products, S is expanded to the rows in front of P. The present
 * itself is still built, but only when a pass fetches it (`contam_presents`, an If), and the head's
 * new-position and tail outputs are taken from X, which holds exactly the positions they slice.
 * Scores, softmax and masks between the two products see the same tensors as before.
 *
 * Only the plain pattern is rewritten: a Concat of a past graph input and one other tensor on axis 2
 * of a rank-4 K/V, whose output is used only by Transpose(perm 0,1,3,2) -> MatMul (as B), MatMul
 * (as B) and Shape. Anything else (fused Attention ops, grouped-query K/V repeated before use, a
 * FusedMatMul) leaves that present as it was, and a graph with If, Loop or Scan nodes (a merged
 * decoder's branches) is left whole.
 */
import { GraphBuilder } from '../../onnx/graph-builder.js';
import { graphNodes, graphValueNames, isStandardOp, producers, type GraphNode } from './graph-edit.js';
import type { Bytes } from './protobuf-wire.js';

/** A bool [1] input: build the presents in this pass (a prefill or a caller that fetches them). */
export const PRESENTS_INPUT = 'contam_presents';

/** The shared past read before a past input, [1, heads, length, head_dim]; empty when no rows share a prefix. */
export const sharedPastName = (past: string): string => `contam_shared_${past}`;

export interface SplitSite {
  /** The present graph output the Concat made. */
  readonly present: string;
  /** The past graph input. */
  readonly past: string;
  /** The new positions' K or V, the Concat's second input. */
  readonly fresh: string;
  /** ONNX TensorProto.DataType of the K/V. */
  readonly elemType: number;
}

export interface SplitPlan {
  readonly sites: readonly SplitSite[];
  /** Tags of the nodes the rewrite replaces (graph-edit.ts hideNode). */
  readonly hide: readonly number[];
  /** Adds the replacement nodes and the If that builds the presents on request. */
  build(g: GraphBuilder): void;
}

const KEY_PERM = [0, 1, 3, 2];
const LENGTH_AXIS = 2;

interface Uses {
  readonly keys: { transpose: GraphNode; matmuls: GraphNode[] }[];
  readonly values: GraphNode[];
  readonly shapes: GraphNode[];
}

const same = (a: readonly number[] | undefined, b: readonly number[]) => !!a && a.length === b.length && a.every((x, i) => x === b[i]);

/** How a present is used, or undefined when one use is not of the plain pattern. */
function usesOf(name: string, consumers: Map<string, GraphNode[]>, outputs: Set<string>): Uses | undefined {
  const keys: Uses['keys'] = [];
  const values: GraphNode[] = [];
  const shapes: GraphNode[] = [];
  for (const n of consumers.get(name) ?? []) {
    if (!isStandardOp(n)) return undefined;
    if (n.op === 'Shape' && n.attributes.length === 0) shapes.push(n);
    else if (n.op === 'MatMul' && n.inputs[0] !== name && n.inputs[1] === name) values.push(n);
    else if (n.op === 'Transpose' && same(n.ints.perm, KEY_PERM) && !outputs.has(n.outputs[0])) {
      const matmuls = consumers.get(n.outputs[0]) ?? [];
      if (!matmuls.every((m) => isStandardOp(m) && m.op === 'MatMul' && m.inputs[0] !== n.outputs[0] && m.inputs[1] === n.outputs[0])) return undefined;
      keys.push({ transpose: n, matmuls });
    } else return undefined;
  }
  return keys.length + values.length > 0 ? { keys, values, shapes } : undefined;
}

/** The rewrite for every present of the plain pattern, or undefined when none is. */
export function planSplitAttention(model: Bytes, presents: readonly { readonly name: string; readonly elemType: number }[]): SplitPlan | undefined {
  const nodes = graphNodes(model);
  // A subgraph may read a present from the outer scope, where only top-level uses are rewritten.
  if (nodes.some((n) => n.hasSubgraph)) return undefined;
  const inputs = new Set(graphValueNames(model, 11));
  const outputs = new Set(graphValueNames(model, 12));
  const consumers = new Map<string, GraphNode[]>();
  for (const n of nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n]);
  const producer = producers(nodes);
  const found: { site: SplitSite; concat: GraphNode; uses: Uses }[] = [];
  for (const { name: present, elemType } of presents) {
    const concat = producer.get(present);
    if (!concat || concat.op !== 'Concat' || concat.domain !== '' || concat.inputs.length !== 2 || concat.outputs.length !== 1) continue;
    const axis = concat.int.axis;
    if (axis !== LENGTH_AXIS && axis !== LENGTH_AXIS - 4) continue;
    const [past, fresh] = concat.inputs;
    if (!inputs.has(past) || inputs.has(fresh)) continue;
    const uses = usesOf(present, consumers, outputs);
    if (uses) found.push({ site: { present, past, fresh, elemType }, concat, uses });
  }
  if (found.length === 0) return undefined;
  const hide = found.flatMap(({ concat, uses }) => [
    concat.start,
    ...uses.keys.flatMap((k) => [k.transpose.start, ...k.matmuls.map((m) => m.start)]),
    ...uses.values.map((v) => v.start),
    ...uses.shapes.map((s) => s.start),
  ]);
  return { sites: found.map((f) => f.site), hide, build: (g) => buildSplit(g, found) };
}

/** A subgraph (an If branch) whose one output `make` names. */
function branch(name: string, elemType: number, make: (b: GraphBuilder) => string): GraphBuilder {
  const b = new GraphBuilder({ name, nodeName: (_, o) => `contam/${o[0]}` });
  b.output(make(b), elemType, ['contam_a0', 'contam_a1', 'contam_a2', 'contam_a3']);
  return b;
}

/**
 * Each product becomes an If. The split copies a [new, past + new] block of scores and of probs per
 * head where Concat(P, X) copies [past + new, head_dim] of K and of V, so it pays when a pass adds
 * fewer positions than a head is wide: a decode step (1 new position) takes the split; a scoring
 * pass, a prefill or a long text's segment (hundreds of new positions; with no past, Concat(empty,
 * X) only copies X) keeps the export's own products, on a Concat that is an intermediate of the
 * branch rather than a graph output. (Splitting every pass made scoring 10-13% slower.)
 */
function buildSplit(g: GraphBuilder, found: readonly { site: SplitSite; uses: Uses }[]): void {
  const name = (i: number, what: string) => `contam/split_${i}_${what}`;
  const ints = (n: string, values: readonly number[]) => g.op('Constant', [], { value: { tensor: { data: BigInt64Array.from(values, BigInt), dims: [values.length] } } }, n);
  const lengthAxis = ints('contam/split_length_axis', [LENGTH_AXIS]);
  const lengthEnd = ints('contam/split_length_end', [LENGTH_AXIS + 1]);
  const lastAxis = ints('contam/split_last_axis', [-1]);
  const zero = ints('contam/split_zero', [0]);
  const end = ints('contam/split_end', [2 ** 53]);
  const lengthAttr = { axis: { int: LENGTH_AXIS } };
  const lengthOnly = ints('contam/split_length_only', [0, 0, 1, 0]);
  const perm = { perm: { ints: KEY_PERM } };
  const batchAxis = ints('contam/split_batch_axis', [0]);
  const presents: PresentMaker[] = [];
  const ones = ints('contam/split_ones', [1, 1, 1]);
  found.forEach(({ site, uses }, i) => {
    const { past, fresh, elemType } = site;
    const shared = g.input(sharedPastName(past), elemType, [1, 'contam_shared_heads', 'contam_shared_length', 'contam_shared_width']);
    const shapeShared = g.op('Shape', [shared], {}, name(i, 'shared_shape'));
    const sharedLength = g.op('Slice', [shapeShared, lengthAxis, lengthEnd], {}, name(i, 'shared_length'));
    const shapePast = g.op('Shape', [past], {}, name(i, 'past_shape'));
    const pastLength = g.op('Slice', [shapePast, lengthAxis, lengthEnd], {}, name(i, 'past_length'));
    const before = g.op('Add', [sharedLength, pastLength], {}, name(i, 'before_length'));
    const shapeFresh = g.op('Shape', [fresh], {}, name(i, 'fresh_shape'));
    const freshLength = g.op('Slice', [shapeFresh, lengthAxis, lengthEnd], {}, name(i, 'fresh_length'));
    const width = g.op('Slice', [shapeFresh, lengthEnd, end], {}, name(i, 'head_width'));
    const few = g.op('Less', [freshLength, width], {}, name(i, 'few_new'));
    const useSplit = g.op('And', [g.op('Greater', [before, zero], {}, name(i, 'has_past')), few], {}, name(i, 'split'));
    // S repeated to the rows, for the export's own products and the presents: [rows, 1, 1, 1].
    const rows = g.op('Concat', [g.op('Slice', [shapeFresh, zero, ints(name(i, 'one'), [1]), batchAxis], {}, name(i, 'rows')), ones], { axis: { int: 0 } }, name(i, 'rows_shape'));
    const whole = (b: GraphBuilder, n: (x: string) => string) => b.op('Concat', [b.op('Expand', [shared, rows], {}, n('shared_rows')), past, fresh], lengthAttr, n('whole'));
    const ifSplit = (output: string, what: string, split: (b: GraphBuilder, n: (x: string) => string) => string, plain: (b: GraphBuilder, n: (x: string) => string) => string) => {
      const n = (kind: string) => (x: string) => name(i, `${what}_${kind}_${x}`);
      g.node('If', [useSplit], { then_branch: { graph: branch(`contam_split_${i}_${what}`, elemType, (b) => split(b, n('split'))) }, else_branch: { graph: branch(`contam_plain_${i}_${what}`, elemType, (b) => plain(b, n('plain'))) } }, [output]);
    };
    uses.keys.forEach((key, k) =>
      key.matmuls.forEach((m, j) => {
        const a = m.inputs[0];
        ifSplit(
          m.outputs[0],
          `scores${k}_${j}`,
          (b, n) => {
            const onShared = b.op('MatMul', [a, b.op('Transpose', [shared], perm, n('shared_t'))], {}, n('shared'));
            const onPast = b.op('MatMul', [a, b.op('Transpose', [past], perm, n('past_t'))], {}, n('past'));
            const onFresh = b.op('MatMul', [a, b.op('Transpose', [fresh], perm, n('fresh_t'))], {}, n('fresh'));
            return b.op('Concat', [onShared, onPast, onFresh], { axis: { int: -1 } }, n('scores'));
          },
          (b, n) => b.op('MatMul', [a, b.op('Transpose', [whole(b, n)], perm, n('whole_t'))], {}, n('scores')),
        );
      }),
    );
    uses.values.forEach((m, v) => {
      const probs = m.inputs[0];
      ifSplit(
        m.outputs[0],
        `context${v}`,
        (b, n) => {
          const onShared = b.op('Slice', [probs, zero, sharedLength, lastAxis], {}, n('probs_shared'));
          const onPast = b.op('Slice', [probs, sharedLength, before, lastAxis], {}, n('probs_past'));
          const onFresh = b.op('Slice', [probs, before, end, lastAxis], {}, n('probs_fresh'));
          const sum = b.op('Add', [b.op('MatMul', [onShared, shared], {}, n('shared')), b.op('MatMul', [onPast, past], {}, n('past'))], {}, n('before'));
          return b.op('Add', [sum, b.op('MatMul', [onFresh, fresh], {}, n('fresh'))], {}, n('context'));
        },
        (b, n) => b.op('MatMul', [probs, whole(b, n)], {}, n('context')),
      );
    });
    uses.shapes.forEach((s, v) => g.op('Add', [shapeFresh, g.op('Mul', [g.op('Add', [shapePast, shapeShared], {}, name(i, `shape_before${v}`)), lengthOnly], {}, name(i, `shape_past${v}`))], {}, s.outputs[0]));
    presents.push({ site, make: whole });
  });
  g.node(
    'If',
    [PRESENTS_INPUT],
    { then_branch: { graph: presentsBranch(presents, true, zero, lengthAxis) }, else_branch: { graph: presentsBranch(presents, false, zero, lengthAxis) } },
    presents.map((p) => p.site.present),
  );
  g.input(PRESENTS_INPUT, 'bool', [1]);
}

/** How one present is built whole: Concat(S repeated to the rows, P, X), nodes added to the given graph. */
interface PresentMaker {
  readonly site: SplitSite;
  readonly make: (b: GraphBuilder, n: (x: string) => string) => string;
}

/** The presents as the export built them (with the shared past in front), or empty (a slice of nothing of X, in X's type). */
function presentsBranch(presents: readonly PresentMaker[], build: boolean, zero: string, lengthAxis: string): GraphBuilder {
  const g = new GraphBuilder({ name: build ? 'contam_presents' : 'contam_no_presents', nodeName: (_, o) => `contam/${o[0]}` });
  presents.forEach(({ site, make }, i) => {
    const out = build ? make(g, (x) => `contam/present_${i}_${x}`) : g.op('Slice', [site.fresh, zero, zero, lengthAxis], {}, `contam/no_present_${i}`);
    g.output(out, site.elemType, ['contam_kv_b', 'contam_kv_h', 'contam_kv_l', 'contam_kv_d']);
  });
  return g;
}
