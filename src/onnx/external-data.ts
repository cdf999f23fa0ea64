/**
 * ONNX external data: tensor bytes kept in a side file (`model.onnx.data`) so a model of hundreds of MB
 * never has to exist as one protobuf buffer (protobuf also caps a message at 2 GB).
 * Each tensor is appended as soon as it is known, so memory holds one tensor at a time.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';

export type TensorData = Float32Array | BigInt64Array | Int32Array;

/** Offsets SHOULD be multiples of 4096 (onnx.proto, TensorProto.external_data) so readers can mmap. */
const ALIGNMENT = 4096;

/** raw_data is little-endian by definition; on a little-endian host that is the array's own memory. */
export function littleEndianBytes(data: TensorData): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (endianness() === 'LE') return bytes;
  const copy = new Uint8Array(bytes);
  const width = data.BYTES_PER_ELEMENT;
  for (let at = 0; at < copy.length; at += width) copy.subarray(at, at + width).reverse();
  return copy;
}

export interface ExternalSpan {
  readonly offset: number;
  readonly length: number;
}

export class ExternalDataFile {
  private fd: number | undefined;
  private position = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends bytes at the next aligned offset and says where they went. */
  append(bytes: Uint8Array): ExternalSpan {
    if (this.fd === undefined) throw new Error(`external data file ${this.path} is already closed`);
    const padding = (ALIGNMENT - (this.position % ALIGNMENT)) % ALIGNMENT;
    if (padding > 0) this.writeAll(new Uint8Array(padding));
    const offset = this.position;
    this.writeAll(bytes);
    return { offset, length: bytes.length };
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private writeAll(bytes: Uint8Array): void {
    // writeSync may write less than asked (large buffers, some file systems): loop until done.
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd!, bytes, done, bytes.length - done);
    this.position += bytes.length;
  }
}
