/**
 * A small typed builder for ONNX graphs: declare inputs and outputs, add initializers and nodes,
 * then `serialize()` to bytes or `save()` to a file, or take `graph()` as a subgraph or a patch for
 * another model (encodeGraphPatch). With `externalDataPath`, initializers of at least
 * `externalMinBytes` go straight to that file as they are added (see external-data.ts).
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ExternalDataFile, littleEndianBytes, type TensorData } from './external-data.js';
import {
  AttributeType,
  DataLocation,
  DataType,
  encodeModel,
  type AttributeMessage,
  type GraphMessage,
  type NodeMessage,
  type TensorMessage,
  type ValueInfoMessage,
} from './proto.js';

export type { TensorData } from './external-data.js';
export type ElemType = 'float32' | 'float16' | 'int64' | 'int32' | 'bool';
/** An ElemType, or a TensorProto.DataType code as read from another model. */
export type ValueType = ElemType | number;
/** A fixed size, or a symbolic name such as 'batch_size'. */
export type Dim = number | string;

/** Attribute values are tagged because a JS number cannot say whether it is an INT or a FLOAT. */
export type AttrValue =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly floats: readonly number[] }
  | { readonly string: string }
  | { readonly tensor: { readonly data: TensorData; readonly dims: readonly number[] } }
  | { readonly graph: GraphBuilder };
export type Attrs = Readonly<Record<string, AttrValue>>;

export interface GraphBuilderOptions {
  readonly name?: string;
  readonly opset?: number;
  readonly irVersion?: number;
  readonly producerName?: string;
  /** Path of the side file; the model file must be saved in the same folder (the location is relative). */
  readonly externalDataPath?: string;
  /** Smaller initializers stay inside the model file. Default 1024 bytes. */
  readonly externalMinBytes?: number;
  /** Names each node from its op and outputs; by default a fresh `<op>_node_<n>`. */
  readonly nodeName?: (opType: string, outputs: readonly string[]) => string;
}

const elemTypes: Record<ElemType, number> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  int64: DataType.INT64,
  int32: DataType.INT32,
  bool: DataType.BOOL,
};

function dataTypeOf(data: TensorData): number {
  if (data instanceof Float32Array) return DataType.FLOAT;
  if (data instanceof BigInt64Array) return DataType.INT64;
  return DataType.INT32;
}

function valueInfo(name: string, elem: ValueType, dims: readonly Dim[]): ValueInfoMessage {
  const dim = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  const elemType = typeof elem === 'number' ? elem : elemTypes[elem];
  return { name, type: { tensor_type: { elem_type: elemType, shape: { dim } } } };
}

function checkSize(name: string, data: TensorData, dims: readonly number[]): void {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (expected !== data.length) throw new Error(`tensor ${name}: dims [${dims.join(', ')}] need ${expected} values, got ${data.length}`);
}

/** Unnamed, as an attribute's tensor is (the attribute names it); `name` is for error messages. */
function tensorValue(name: string, data: TensorData, dims: readonly number[]): TensorMessage {
  checkSize(name, data, dims);
  return { dims: [...dims], data_type: dataTypeOf(data), raw_data: littleEndianBytes(data) };
}

function embeddedTensor(name: string, data: TensorData, dims: readonly number[]): TensorMessage {
  return { name, ...tensorValue(name, data, dims) };
}

function attribute(name: string, value: AttrValue): AttributeMessage {
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: AttributeType.INTS, ints: [...value.ints] };
  if ('floats' in value) return { name, type: AttributeType.FLOATS, floats: [...value.floats] };
  if ('string' in value) return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.string) };
  if ('graph' in value) return { name, type: AttributeType.GRAPH, g: value.graph.graph() };
  return { name, type: AttributeType.TENSOR, t: tensorValue(name, value.tensor.data, value.tensor.dims) };
}

export class GraphBuilder {
  private readonly inputs: ValueInfoMessage[] = [];
  private readonly outputs: ValueInfoMessage[] = [];
  private readonly initializers: TensorMessage[] = [];
  private readonly nodes: NodeMessage[] = [];
  private readonly names = new Set<string>();
  private counter = 0;
  private readonly external: ExternalDataFile | undefined;

  constructor(private readonly options: GraphBuilderOptions = {}) {
    this.external = options.externalDataPath ? new ExternalDataFile(options.externalDataPath) : undefined;
  }

  input(name: string, elem: ValueType, dims: readonly Dim[]): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, elem, dims));
    return name;
  }

  /** Declares a value (a graph input, initializer or node output, named beforehand) as a graph output. */
  output(name: string, elem: ValueType, dims: readonly Dim[]): string {
    this.outputs.push(valueInfo(name, elem, dims));
    return name;
  }

  initializer(name: string, data: TensorData, dims: readonly number[]): string {
    this.claim(name);
    const minBytes = this.options.externalMinBytes ?? 1024;
    if (this.external === undefined || data.byteLength < minBytes) {
      this.initializers.push(embeddedTensor(name, data, dims));
      return name;
    }
    checkSize(name, data, dims);
    const span = this.external.append(littleEndianBytes(data));
    this.initializers.push({
      name,
      dims: [...dims],
      data_type: dataTypeOf(data),
      data_location: DataLocation.EXTERNAL,
      external_data: [
        { key: 'location', value: basename(this.external.path) },
        { key: 'offset', value: String(span.offset) },
        { key: 'length', value: String(span.length) },
      ],
    });
    return name;
  }

  /** A small constant as an initializer with a fresh name. Scalars take `dims = []`. */
  constInt64(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(this.fresh('const_i64'), BigInt64Array.from(values, BigInt), dims);
  }

  constFloat(values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(this.fresh('const_f32'), Float32Array.from(values), dims);
  }

  /** Adds a node and returns its output names (fresh ones unless given). */
  node(opType: string, inputs: readonly string[], attrs: Attrs = {}, outputs: number | readonly string[] = 1): string[] {
    const outNames = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType)) : [...outputs];
    for (const name of outNames) this.claim(name);
    this.nodes.push({
      name: this.options.nodeName?.(opType, outNames) ?? this.fresh(`${opType}_node`),
      op_type: opType,
      input: [...inputs],
      output: outNames,
      attribute: Object.entries(attrs).map(([key, value]) => attribute(key, value)),
    });
    return outNames;
  }

  /** The common single-output case. */
  op(opType: string, inputs: readonly string[], attrs: Attrs = {}, output?: string): string {
    return this.node(opType, inputs, attrs, output === undefined ? 1 : [output])[0];
  }

  /** The graph alone, named only if `name` was given: a subgraph, or a patch for another model's graph. */
  graph(): GraphMessage {
    const graph = { node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
    return this.options.name === undefined ? graph : { name: this.options.name, ...graph };
  }

  /** Model bytes. Closes the external data file, so call it once, after the last initializer. */
  serialize(): Uint8Array {
    this.external?.close();
    return encodeModel({
      ir_version: this.options.irVersion ?? 8,
      producer_name: this.options.producerName ?? 'contam',
      opset_import: [{ domain: '', version: this.options.opset ?? 17 }],
      graph: { ...this.graph(), name: this.options.name ?? 'graph' },
    });
  }

  save(path: string): void {
    writeFileSync(path, this.serialize());
  }

  private fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.names.has(name));
    return name;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`duplicate value name in graph: ${name}`);
    this.names.add(name);
  }
}
