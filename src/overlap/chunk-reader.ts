/**
 * The main thread's side of the parallel scan: a file's (decompressed) bytes cut into chunks of
 * about CHUNK_BYTES holding whole units only (chunk-units.ts), each with the line and record
 * numbers it starts at. Every chunk owns its ArrayBuffer, so it can be transferred to a worker
 * without a copy. `inputBytes` is how much of the file on disk was consumed (compressed bytes for
 * .gz), which is what a progress ETA over the corpus' size on disk can use.
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { countUnits, cutPoint } from './chunk-units.js';
import type { CorpusFile } from './corpus-files.js';

export const CHUNK_BYTES = 1 << 20;

export interface FileChunk {
  /** The chunk's bytes are data[0, length), in a buffer of its own (the rest of it is unused). */
  readonly data: Buffer;
  readonly length: number;
  /** 1-based line and 0-based record number of the chunk's first unit, within the file. */
  readonly line: number;
  readonly record: number;
  readonly records: number;
  readonly inputBytes: number;
}

function concat(parts: readonly Buffer[], total: number): Buffer {
  // A fresh ArrayBuffer of exactly `total` bytes: never a slice of Node's shared pool.
  const out = Buffer.from(new ArrayBuffer(total));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function* fileChunks(file: CorpusFile, chunkBytes = CHUNK_BYTES): AsyncGenerator<FileChunk> {
  const input = createReadStream(resolve(file.path), { highWaterMark: Math.min(chunkBytes, 1 << 20) });
  const stream = file.gzip ? input.pipe(createGunzip()) : input;
  input.on('error', (e) => stream.destroy(e));
  let parts: Buffer[] = [];
  let total = 0;
  let line = 1;
  let record = 0;
  // After a look found no cut point, look again only once the buffer doubled: a record far longer
  // than a chunk costs linear, not quadratic, copying.
  let nextLook = chunkBytes;
  const emit = (data: Buffer, length: number): FileChunk => {
    const { lines, records } = countUnits(data, length, file.format);
    const chunk = { data, length, line, record, records, inputBytes: input.bytesRead };
    line += lines;
    record += records;
    return chunk;
  };
  for await (const piece of stream as AsyncIterable<Buffer>) {
    parts.push(piece);
    total += piece.length;
    if (total < nextLook) continue;
    const all = concat(parts, total);
    const cut = cutPoint(all, total, file.format);
    // No unit ends in it yet (one record longer than a chunk): keep reading.
    if (cut === 0) {
      parts = [all];
      nextLook = total * 2;
      continue;
    }
    nextLook = chunkBytes;
    const rest = Buffer.from(all.subarray(cut));
    parts = rest.length > 0 ? [rest] : [];
    total = rest.length;
    // The chunk keeps the whole buffer (sent as is, never copied again); only the rest is copied.
    yield emit(all, cut);
  }
  if (total > 0) {
    const all = concat(parts, total);
    yield emit(all, total);
  }
}
