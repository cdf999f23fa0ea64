/**
 * In-place edits of a serialized ONNX graph: an entry of GraphProto is hidden by rewriting its
 * one-byte tag to a field number GraphProto reserves (3), which every parser skips. A graph of
 * any size is edited without a copy, and `restore` puts the byte back.
 */
import { readFields, type Bytes } from './protobuf-wire.js';

const NODE_TAG = (1 << 3) | 2; // GraphProto.node, length-delimited
const HIDDEN_TAG = (3 << 3) | 2; // a field number GraphProto reserves

export interface Hidden {
  restore(): void;
}

/** Hides the node whose tag is at `at` (an offset from eachGraphEntry). */
export function hideNode(model: Uint8Array, at: number): Hidden {
  if (model[at] !== NODE_TAG) throw new Error(`no GraphProto node tag at byte ${at}`);
  model[at] = HIDDEN_TAG;
  return { restore: () => void (model[at] = NODE_TAG) };
}

/** Calls `visit` with every GraphProto entry of `field` and its tag's offset in `model`. */
export function eachGraphEntry(model: Bytes, field: number, visit: (payload: Bytes, at: number) => void): void {
  for (const g of readFields(model)) {
    if (g.field !== 7 || !g.bytes) continue;
    const graphAt = g.bytes.byteOffset - model.byteOffset;
    for (const f of readFields(g.bytes)) if (f.field === field && f.bytes) visit(f.bytes, graphAt + f.start);
  }
}
