/**
 * The few protobuf wire-format writers needed to append nodes to an existing ONNX model without
 * decoding it: a serialized message may be followed by more fields, and a parser merges a repeated
 * embedded message (ModelProto.graph) into the one before it, concatenating its repeated fields.
 */

export type Bytes = Uint8Array;

export function varint(value: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

export function concat(parts: readonly Bytes[]): Bytes {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const tag = (field: number, wire: number): Bytes => varint((field << 3) | wire);

export function intField(field: number, value: number | bigint): Bytes {
  return concat([tag(field, 0), varint(value)]);
}

export function bytesField(field: number, value: Bytes): Bytes {
  return concat([tag(field, 2), varint(value.length), value]);
}

export function stringField(field: number, value: string): Bytes {
  return bytesField(field, new TextEncoder().encode(value));
}

export function messageField(field: number, parts: readonly Bytes[]): Bytes {
  return bytesField(field, concat(parts));
}

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
