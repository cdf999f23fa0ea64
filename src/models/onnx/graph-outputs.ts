/** Reads a model's declared graph outputs straight from the protobuf, without loading weights. */
import { readFields, utf8, type Bytes } from './protobuf-wire.js';

export interface DeclaredOutput {
  readonly name: string;
  /** ONNX TensorProto.DataType: 1 float, 10 float16, ... */
  readonly elemType?: number;
  readonly dims: readonly (number | string)[];
}

function parseValueInfo(buf: Bytes): DeclaredOutput {
  let name = '';
  let elemType: number | undefined;
  const dims: (number | string)[] = [];
  for (const f of readFields(buf)) {
    if (f.field === 1 && f.bytes) name = utf8(f.bytes);
    if (f.field !== 2 || !f.bytes) continue;
    for (const t of readFields(f.bytes)) {
      if (t.field !== 1 || !t.bytes) continue;
      for (const tt of readFields(t.bytes)) {
        if (tt.field === 1 && tt.value !== undefined) elemType = Number(tt.value);
        if (tt.field !== 2 || !tt.bytes) continue;
        for (const d of readFields(tt.bytes)) {
          if (d.field !== 1 || !d.bytes) continue;
          let dim: number | string = '?';
          for (const v of readFields(d.bytes)) {
            if (v.field === 1 && v.value !== undefined) dim = Number(v.value);
            if (v.field === 2 && v.bytes) dim = utf8(v.bytes);
          }
          dims.push(dim);
        }
      }
    }
  }
  return { name, elemType, dims };
}

/** ModelProto.graph (7) -> GraphProto.output (12). */
export function declaredOutputs(model: Bytes): DeclaredOutput[] {
  const outputs: DeclaredOutput[] = [];
  for (const f of readFields(model)) {
    if (f.field !== 7 || !f.bytes) continue;
    for (const g of readFields(f.bytes)) {
      if (g.field === 12 && g.bytes) outputs.push(parseValueInfo(g.bytes));
    }
  }
  return outputs;
}
