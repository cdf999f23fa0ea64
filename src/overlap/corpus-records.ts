/**
 * Streams a corpus file as units of raw bytes, so a clean copy can write every kept unit byte for
 * byte. JSONL: one record per non-blank line. Parquet: one record per row (parquet-records.ts). Text: one record per paragraph (lines up to a blank
 * line), so an item broken over lines is one record while memory stays bounded by the longest
 * paragraph, never by the file. Blank lines are units of their own, kept as they are.
 */
import type { CorpusFile } from './corpus-files.js';
import { corpusBytes } from './corpus-bytes.js';
import { parquetUnits } from './parquet-records.js';

export interface CorpusUnit {
  /** Raw bytes, line terminators included. */
  readonly raw: Buffer;
  /** False for blank lines between records. */
  readonly isRecord: boolean;
  /** 1-based line of the unit's first line in the (decompressed) file. */
  readonly line: number;
  /** 0-based record number in the file (blank units carry the next record's number). */
  readonly record: number;
}

/** Lines of a byte stream, each with its terminator. */
async function* lines(file: CorpusFile, resolvedPath: string): AsyncGenerator<Buffer> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of corpusBytes(file, resolvedPath)) {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let from = 0;
    for (let nl = data.indexOf(10, from); nl >= 0; nl = data.indexOf(10, from)) {
      yield data.subarray(from, nl + 1);
      from = nl + 1;
    }
    rest = Buffer.from(data.subarray(from));
    data = rest;
  }
  if (rest.length > 0) yield rest;
}

function isBlank(line: Buffer): boolean {
  for (const b of line) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

export async function* units(file: CorpusFile, resolvedPath: string): AsyncGenerator<CorpusUnit> {
  let line = 0;
  let record = 0;
  if (file.format === 'parquet') {
    yield* parquetUnits(resolvedPath);
    return;
  }
  if (file.format === 'jsonl') {
    for await (const raw of lines(file, resolvedPath)) {
      line += 1;
      const isRecord = !isBlank(raw);
      yield { raw, isRecord, line, record };
      if (isRecord) record += 1;
    }
    return;
  }
  let paragraph: Buffer[] = [];
  let startLine = 0;
  for await (const raw of lines(file, resolvedPath)) {
    line += 1;
    if (isBlank(raw)) {
      if (paragraph.length > 0) yield { raw: Buffer.concat(paragraph), isRecord: true, line: startLine, record: record++ };
      paragraph = [];
      yield { raw, isRecord: false, line, record };
    } else {
      if (paragraph.length === 0) startLine = line;
      paragraph.push(raw);
    }
  }
  if (paragraph.length > 0) yield { raw: Buffer.concat(paragraph), isRecord: true, line: startLine, record };
}
