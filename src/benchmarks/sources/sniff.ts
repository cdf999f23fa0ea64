import { open } from 'node:fs/promises';
import { FatalError } from '../../errors.js';
import { preview } from './describe-value.js';

export type FileKind = 'parquet' | 'binary' | 'json-array' | 'json-object' | 'text' | 'empty';

/** Reads the first bytes of a file to tell what it really is, whatever its extension says. */
export async function sniff(path: string): Promise<{ kind: FileKind; head: string }> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    const head = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (bytes.subarray(0, 4).toString('latin1') === 'PAR1') return { kind: 'parquet', head };
    if (bytes.includes(0)) return { kind: 'binary', head };
    const first = head.trimStart()[0];
    if (first === undefined) return { kind: 'empty', head };
    if (first === '[') return { kind: 'json-array', head };
    if (first === '{') return { kind: 'json-object', head };
    return { kind: 'text', head };
  } finally {
    await handle.close();
  }
}

const KIND_NAMES: Record<FileKind, string> = {
  parquet: 'a Parquet file',
  binary: 'binary data',
  'json-array': 'a JSON array',
  'json-object': 'a JSON object',
  text: 'plain text',
  empty: 'an empty file',
};

/** The fatal error for "x.jsonl: expected JSON Lines, found a Parquet file (starts with ...)". */
export function wrongFormat(display: string, expected: string, found: { kind: FileKind; head: string }): FatalError {
  const start = JSON.stringify(preview(found.head.replace(/[^\x20-\x7e]/g, '.'), 24));
  return new FatalError(`${display}: expected ${expected}, found ${KIND_NAMES[found.kind]} (starts with ${start})`);
}
