/**
 * Invalid UTF-8 must not turn silently into U+FFFD and be scored as if it were the benchmark's text:
 * these helpers find it so the row is skipped (JSON Lines) or the file rejected (CSV, JSON), by line.
 */
import { isUtf8 } from 'node:buffer';

/** 1-based line (counted from `firstLine`) of the first invalid UTF-8 sequence in `bytes`; undefined when all valid. */
export function invalidUtf8Line(bytes: Buffer, firstLine = 1): number | undefined {
  if (isUtf8(bytes)) return undefined;
  let line = firstLine;
  for (let start = 0; start <= bytes.length; line++) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    if (nl === -1) break;
    start = nl + 1;
  }
  // Only a multi-byte sequence cut by the end of `bytes` (a stream chunk): it continues on the last line.
  return line - 1;
}

/** Lines of a file as bytes (without the newline), streamed. */
export async function* byteLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, nl));
      yield Buffer.concat(pending);
      pending = [];
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) yield Buffer.concat(pending);
}
