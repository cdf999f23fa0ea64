/**
 * The decompressed bytes of a corpus file, chunk by chunk: plain, gzip (node:zlib) or Zstandard
 * (fzstd, streaming: each compressed chunk is pushed and its output yielded before the next is read,
 * so memory stays bounded by a chunk and the format's window, never by the file).
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import type { CorpusFile } from './corpus-files.js';

async function* zstdChunks(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const out: Buffer[] = [];
  // Copied: the line splitter keeps slices of a chunk across pushes, and fzstd may reuse its window.
  const decompressor = new Decompress((data) => {
    out.push(Buffer.from(data));
  });
  let pushed = false;
  for await (const chunk of input) {
    decompressor.push(chunk);
    pushed = true;
    while (out.length > 0) yield out.shift() as Buffer;
  }
  // An empty file is an empty corpus file, as for plain and gzip files.
  if (pushed) decompressor.push(new Uint8Array(0), true);
  while (out.length > 0) yield out.shift() as Buffer;
}

export function corpusBytes(file: CorpusFile, resolvedPath: string): AsyncIterable<Buffer> {
  const input = createReadStream(resolvedPath);
  if (file.zstd) return zstdChunks(input);
  if (!file.gzip) return input;
  const gunzip = input.pipe(createGunzip());
  input.on('error', (e) => gunzip.destroy(e));
  return gunzip;
}
