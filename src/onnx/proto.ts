/**
 * The subset of onnx.proto (package `onnx`) this project writes, built by reflection with protobufjs.
 * Field names and numbers are ONNX's own (onnx/onnx.proto, IR version 8); only the wire format matters
 * to a reader, so enums are declared as int32 (same varint encoding) and unused fields are left out.
 */
import { Field, Root, Type } from 'protobufjs';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;

/** AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7 } as const;

/** TensorProto.DataLocation. */
export const DataLocation = { DEFAULT: 0, EXTERNAL: 1 } as const;

type FieldSpec = readonly [name: string, id: number, type: string, rule?: 'repeated'];

function message(name: string, fields: readonly FieldSpec[], nested: readonly Type[] = []): Type {
  const type = new Type(name);
  for (const [fieldName, id, fieldType, rule] of fields) type.add(new Field(fieldName, id, fieldType, rule));
  for (const inner of nested) type.add(inner);
  return type;
}

function buildRoot(): Root {
  const root = new Root();
  const onnx = root.define('onnx');
  onnx.add(message('StringStringEntryProto', [['key', 1, 'string'], ['value', 2, 'string']]));
  onnx.add(message('OperatorSetIdProto', [['domain', 1, 'string'], ['version', 2, 'int64']]));
  onnx.add(
    message('TensorProto', [
      ['dims', 1, 'int64', 'repeated'],
      ['data_type', 2, 'int32'],
      ['float_data', 4, 'float', 'repeated'],
      ['int32_data', 5, 'int32', 'repeated'],
      ['int64_data', 7, 'int64', 'repeated'],
      ['name', 8, 'string'],
      ['raw_data', 9, 'bytes'],
      ['doc_string', 12, 'string'],
      ['external_data', 13, 'StringStringEntryProto', 'repeated'],
      ['data_location', 14, 'int32'],
    ]),
  );
  // Dimension is a oneof {dim_value, dim_param} in ONNX; writing exactly one of the two is equivalent on the wire.
  const dimension = message('Dimension', [['dim_value', 1, 'int64'], ['dim_param', 2, 'string'], ['denotation', 3, 'string']]);
  onnx.add(message('TensorShapeProto', [['dim', 1, 'Dimension', 'repeated']], [dimension]));
  const tensorType = message('Tensor', [['elem_type', 1, 'int32'], ['shape', 2, 'TensorShapeProto']]);
  onnx.add(message('TypeProto', [['tensor_type', 1, 'Tensor'], ['denotation', 6, 'string']], [tensorType]));
  onnx.add(message('ValueInfoProto', [['name', 1, 'string'], ['type', 2, 'TypeProto'], ['doc_string', 3, 'string']]));
  onnx.add(
    message('AttributeProto', [
      ['name', 1, 'string'],
      ['f', 2, 'float'],
      ['i', 3, 'int64'],
      ['s', 4, 'bytes'],
      ['t', 5, 'TensorProto'],
      ['g', 6, 'GraphProto'],
      ['floats', 7, 'float', 'repeated'],
      ['ints', 8, 'int64', 'repeated'],
      ['doc_string', 13, 'string'],
      ['type', 20, 'int32'],
    ]),
  );
  onnx.add(
    message('NodeProto', [
      ['input', 1, 'string', 'repeated'],
      ['output', 2, 'string', 'repeated'],
      ['name', 3, 'string'],
      ['op_type', 4, 'string'],
      ['attribute', 5, 'AttributeProto', 'repeated'],
      ['doc_string', 6, 'string'],
      ['domain', 7, 'string'],
    ]),
  );
  onnx.add(
    message('GraphProto', [
      ['node', 1, 'NodeProto', 'repeated'],
      ['name', 2, 'string'],
      ['initializer', 5, 'TensorProto', 'repeated'],
      ['doc_string', 10, 'string'],
      ['input', 11, 'ValueInfoProto', 'repeated'],
      ['output', 12, 'ValueInfoProto', 'repeated'],
      ['value_info', 13, 'ValueInfoProto', 'repeated'],
    ]),
  );
  onnx.add(
    message('ModelProto', [
      ['ir_version', 1, 'int64'],
      ['producer_name', 2, 'string'],
      ['producer_version', 3, 'string'],
      ['domain', 4, 'string'],
      ['model_version', 5, 'int64'],
      ['doc_string', 6, 'string'],
      ['graph', 7, 'GraphProto'],
      ['opset_import', 8, 'OperatorSetIdProto', 'repeated'],
      ['metadata_props', 14, 'StringStringEntryProto', 'repeated'],
    ]),
  );
  root.resolveAll();
  return root;
}

const root = buildRoot();

/** The message types, resolved once. `encode(plainObject).finish()` gives the bytes. */
export const onnxProto = {
  ModelProto: root.lookupType('onnx.ModelProto'),
  GraphProto: root.lookupType('onnx.GraphProto'),
  NodeProto: root.lookupType('onnx.NodeProto'),
  TensorProto: root.lookupType('onnx.TensorProto'),
  AttributeProto: root.lookupType('onnx.AttributeProto'),
  ValueInfoProto: root.lookupType('onnx.ValueInfoProto'),
} as const;

// Plain-object shapes of the messages above (snake_case, as in onnx.proto).
export interface StringStringEntry { key: string; value: string }
export interface TensorMessage {
  /** Left out in an attribute's tensor (the attribute names it). */
  name?: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
  external_data?: StringStringEntry[];
  data_location?: number;
}
export interface DimensionMessage { dim_value?: number; dim_param?: string }
export interface ValueInfoMessage {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: DimensionMessage[] } } };
}
export interface AttributeMessage {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorMessage;
  /** A subgraph, such as an If's branch. */
  g?: GraphMessage;
  floats?: number[];
  ints?: number[];
}
export interface NodeMessage {
  name: string;
  op_type: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: AttributeMessage[];
}
export interface GraphMessage {
  /** Left out in a graph patch, so the patched graph keeps its own name. */
  name?: string;
  node: NodeMessage[];
  initializer: TensorMessage[];
  input: ValueInfoMessage[];
  output: ValueInfoMessage[];
}
export interface ModelMessage {
  ir_version: number;
  producer_name: string;
  producer_version?: string;
  graph: GraphMessage;
  opset_import: { domain: string; version: number }[];
  metadata_props?: StringStringEntry[];
}

export function encodeModel(model: ModelMessage): Uint8Array {
  return onnxProto.ModelProto.encode(model as unknown as Record<string, unknown>).finish();
}

/**
 * A ModelProto holding only `graph`, to append to a serialized model: a parser merges a repeated
 * embedded message (ModelProto.graph) into the one before it, concatenating its repeated fields, so
 * the graph gains nodes, inputs and outputs without the model being decoded.
 */
export function encodeGraphPatch(graph: GraphMessage): Uint8Array {
  return onnxProto.ModelProto.encode({ graph } as unknown as Record<string, unknown>).finish();
}
