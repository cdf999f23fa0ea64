import { createReadStream } from 'node:fs';
import type { SourceRow } from '../types.js';
import { CsvParser, type CsvRecord } from './csv-parser.js';
import { FatalError } from '../../errors.js';
import { sniff, wrongFormat } from './sniff.js';
import { invalidUtf8Line } from './utf8.js';

export interface CsvOptions {
  /** Column names for a file without a header row; absent: the first record is the header. */
  readonly columns?: readonly string[];
  /** Extra fields added to every row (the MMLU subject taken from the file name). */
  readonly extra?: Record<string, unknown>;
}

/**
 * A CSV file streamed through the incremental parser. A record whose field count differs
 * from the header (a "ragged" row) is reported as a problem rather than guessed at.
 */
export async function* readCsv(path: string, display: string, firstIndex = 0, options: CsvOptions = {}): AsyncGenerator<SourceRow> {
  const found = await sniff(path);
  if (found.kind === 'parquet' || found.kind === 'binary') throw wrongFormat(display, 'CSV text', found);
  const parser = new CsvParser();
  let columns = options.columns;
  let index = firstIndex;
  const toRow = (record: CsvRecord): SourceRow | undefined => {
    if (!columns) {
      columns = record.fields.map((name) => name.trim());
      return undefined;
    }
    const location = { file: display, line: record.line };
    if (record.unterminated) {
      return { row: {}, location, index: index++, problem: 'expected a closing quote, found the end of the file' };
    }
    if (record.fields.length !== columns.length) {
      const problem = `expected ${columns.length} fields (${columns.join(', ')}), found ${record.fields.length}`;
      return { row: {}, location, index: index++, problem };
    }
    const row: Record<string, unknown> = { ...options.extra };
    columns.forEach((name, i) => (row[name] = record.fields[i]));
    return { row, location, index: index++ };
  };
  // Decoded with fatal errors: invalid UTF-8 rejects the file instead of being scored as U+FFFD.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let line = 1;
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new FatalError(`${display}: expected UTF-8 text, found invalid UTF-8 bytes near line ${chunk ? invalidUtf8Line(chunk, line) ?? line : line}`);
    }
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 16 }) as AsyncIterable<Buffer>) {
    const text = decode(chunk);
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, nl + 1)) line++;
    for (const record of parser.push(text)) {
      const row = toRow(record);
      if (row) yield row;
    }
  }
  // A sequence cut off by the end of the file throws here.
  for (const record of parser.push(decode())) {
    const row = toRow(record);
    if (row) yield row;
  }
  for (const record of parser.end()) {
    const row = toRow(record);
    if (row) yield row;
  }
}
