/**
 * Reads the protobuf wire format of an ONNX model without decoding it: a graph with its weights
 * inside is as large as they are, so the few fields contam needs (declared outputs, the opset, the
 * embedding Gather) are found by walking tags over views of the file's buffer, never copies.
 * Writing goes through src/onnx/proto.ts.
 */

export type Bytes = Uint8Array;

export interface WireField {
  readonly field: number;
  readonly wire: number;
  /** Varint value (wire 0). */
  readonly value?: bigint;
  /** Payload (wire 2). */
  readonly bytes?: Bytes;
  /** Where the field's tag starts in the walked buffer. */
  readonly start: number;
}

/** Walks the top-level fields of a message; length-delimited payloads are views, not copies. */
export function* readFields(buf: Bytes): Generator<WireField> {
  let pos = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= buf.length) throw new Error('truncated varint');
      const b = buf[pos++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const start = pos;
    const key = Number(readVarint());
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, wire, value: readVarint(), start };
    else if (wire === 2) {
      const length = Number(readVarint());
      if (pos + length > buf.length) throw new Error('truncated field');
      yield { field, wire, bytes: buf.subarray(pos, pos + length), start };
      pos += length;
    } else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

/** The values of a packed repeated varint field (e.g. TensorProto.dims written packed). */
export function packedVarints(buf: Bytes): bigint[] {
  const out: bigint[] = [];
  let value = 0n;
  let shift = 0n;
  for (const b of buf) {
    value |= BigInt(b & 0x7f) << shift;
    shift += 7n;
    if ((b & 0x80) === 0) {
      out.push(value);
      value = 0n;
      shift = 0n;
    }
  }
  return out;
}

/** A string field's bytes (protobuf strings are UTF-8). */
export const utf8 = (b: Bytes): string => new TextDecoder().decode(b);
