/**
 * In-place edits of a serialized ONNX graph: an entry of GraphProto is hidden by rewriting its
 * one-byte tag to a field number GraphProto reserves (3), which every parser skips. A graph of
 * any size is edited without a copy, and `restore` puts the byte back.
 */
import { packedVarints, readFields, utf8, type Bytes } from './protobuf-wire.js';

const NODE_TAG = (1 << 3) | 2; // GraphProto.node, length-delimited
const HIDDEN_TAG = (3 << 3) | 2; // a field number GraphProto reserves

export interface Hidden {
  restore(): void;
}

const OUTPUT_TAG = (12 << 3) | 2; // GraphProto.output

function hideEntry(model: Uint8Array, at: number, tag: number, what: string): Hidden {
  if (model[at] !== tag) throw new Error(`no GraphProto ${what} tag at byte ${at}`);
  model[at] = HIDDEN_TAG;
  return { restore: () => void (model[at] = tag) };
}

/** Hides the node whose tag is at `at` (an offset from eachGraphEntry). */
export const hideNode = (model: Uint8Array, at: number): Hidden => hideEntry(model, at, NODE_TAG, 'node');

/** Hides the graph output whose tag is at `at` (an offset from eachGraphEntry over field 12). */
export const hideOutput = (model: Uint8Array, at: number): Hidden => hideEntry(model, at, OUTPUT_TAG, 'output');

/** Calls `visit` with every GraphProto entry of `field` and its tag's offset in `model`. */
export function eachGraphEntry(model: Bytes, field: number, visit: (payload: Bytes, at: number) => void): void {
  for (const g of readFields(model)) {
    if (g.field !== 7 || !g.bytes) continue;
    const graphAt = g.bytes.byteOffset - model.byteOffset;
    for (const f of readFields(g.bytes)) if (f.field === field && f.bytes) visit(f.bytes, graphAt + f.start);
  }
}

/** The parts of a NodeProto that graph edits read. */
export interface GraphNode {
  /** Offset of the node's tag in the model buffer (hideNode). */
  readonly start: number;
  readonly op: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Integer attributes (AttributeProto.i), by name. */
  readonly int: Readonly<Record<string, number>>;
  /** Integer-list attributes (AttributeProto.ints), by name. */
  readonly ints: Readonly<Record<string, readonly number[]>>;
  /** Names of every attribute, of whatever type. */
  readonly attributes: readonly string[];
  /** True when an attribute holds a subgraph (If, Loop, Scan), which may read any outer value. */
  readonly hasSubgraph: boolean;
}

const signed = (v: bigint) => Number(BigInt.asIntN(64, v));

/** NodeProto: input 1, output 2, op_type 4, attribute 5 (name 1, i 3, g 6, ints 8, graphs 11), domain 7. */
export function parseNode(bytes: Bytes, start: number): GraphNode {
  let op = '';
  let domain = '';
  const inputs: string[] = [];
  const outputs: string[] = [];
  const int: Record<string, number> = {};
  const ints: Record<string, number[]> = {};
  const attributes: string[] = [];
  let hasSubgraph = false;
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.bytes) inputs.push(utf8(f.bytes));
    if (f.field === 2 && f.bytes) outputs.push(utf8(f.bytes));
    if (f.field === 4 && f.bytes) op = utf8(f.bytes);
    if (f.field === 7 && f.bytes) domain = utf8(f.bytes);
    if (f.field !== 5 || !f.bytes) continue;
    let name = '';
    let value: number | undefined;
    const list: number[] = [];
    for (const a of readFields(f.bytes)) {
      if (a.field === 1 && a.bytes) name = utf8(a.bytes);
      if (a.field === 3 && a.value !== undefined) value = signed(a.value);
      if (a.field === 8 && a.value !== undefined) list.push(signed(a.value));
      if (a.field === 8 && a.bytes) list.push(...packedVarints(a.bytes).map(signed));
      if (a.field === 6 || a.field === 11) hasSubgraph = true;
    }
    attributes.push(name);
    if (value !== undefined) int[name] = value;
    if (list.length) ints[name] = list;
  }
  return { start, op, domain, inputs, outputs, int, ints, attributes, hasSubgraph };
}

/** True for an op of the default ONNX domain (written '' or 'ai.onnx'), not a contrib or custom one. */
export const isStandardOp = (n: GraphNode): boolean => n.domain === '' || n.domain === 'ai.onnx';

/** Every top-level node of the graph, in order. */
export function graphNodes(model: Bytes): GraphNode[] {
  const nodes: GraphNode[] = [];
  eachGraphEntry(model, 1, (payload, at) => nodes.push(parseNode(payload, at)));
  return nodes;
}

/** The node that makes each value. */
export function producers(nodes: readonly GraphNode[]): Map<string, GraphNode> {
  const producer = new Map<string, GraphNode>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o, n);
  return producer;
}

/** Names declared in a GraphProto list of ValueInfoProto (input 11, output 12). */
export function graphValueNames(model: Bytes, field: 11 | 12): string[] {
  const names: string[] = [];
  eachGraphEntry(model, field, (payload) => {
    for (const f of readFields(payload)) if (f.field === 1 && f.bytes) names.push(utf8(f.bytes));
  });
  return names;
}

/** What graph edits read of an initializer (TensorProto). */
export interface InitializerInfo {
  readonly dims: number[];
  readonly type: number;
  /** Absolute offset of inline raw_data in the model buffer. */
  readonly rawAt?: number;
  readonly external: Record<string, string>;
}

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9, external_data 13. `base` turns raw_data's offset absolute. */
export function parseInitializer(bytes: Bytes, base: number): { name: string; info: InitializerInfo } {
  let name = '';
  const dims: number[] = [];
  let type = 0;
  let rawAt: number | undefined;
  const external: Record<string, string> = {};
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.value !== undefined) dims.push(Number(f.value));
    if (f.field === 1 && f.bytes) dims.push(...packedVarints(f.bytes).map(Number));
    if (f.field === 2 && f.value !== undefined) type = Number(f.value);
    if (f.field === 8 && f.bytes) name = utf8(f.bytes);
    if (f.field === 9 && f.bytes) rawAt = base + f.bytes.byteOffset;
    if (f.field === 13 && f.bytes) {
      let key = '';
      let value = '';
      for (const e of readFields(f.bytes)) {
        if (e.field === 1 && e.bytes) key = utf8(e.bytes);
        if (e.field === 2 && e.bytes) value = utf8(e.bytes);
      }
      external[key] = value;
    }
  }
  return { name, info: { dims, type, rawAt, external } };
}
