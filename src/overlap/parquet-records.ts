/**
 * A Parquet corpus file as units of one row each, read one row group at a time (as the benchmark
 * loader does, src/benchmarks/sources/parquet.ts) so memory is bounded by the largest row group.
 * Each row becomes one JSON line, so the scan, the text-field rules and --write-clean treat Parquet
 * rows exactly as JSONL records: `record` is the 0-based row in the file and `line` the row + 1.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { CorpusUnit } from './corpus-records.js';

const utf8 = new TextDecoder();

/** JSON-safe: INT64 as a number when exact (else a decimal string), bytes as UTF-8 text, dates as ISO strings. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

export async function* parquetUnits(resolvedPath: string): AsyncGenerator<CorpusUnit> {
  const file = await asyncBufferFromFile(resolvedPath);
  // hyparquet's own error for a non-Parquet file is a DataView bounds error that names nothing.
  const head = file.byteLength >= 12 ? new Uint8Array(await file.slice(0, 4)) : new Uint8Array(0);
  if (utf8.decode(head) !== 'PAR1') throw new Error('does not start with "PAR1"');
  const metadata = await parquetMetadataAsync(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, compressors, rowStart, rowEnd });
    for (const [i, row] of rows.entries()) {
      const record = rowStart + i;
      yield { raw: Buffer.from(`${JSON.stringify(jsonSafe(row))}\n`, 'utf8'), isRecord: true, line: record + 1, record };
    }
    rowStart = rowEnd;
  }
}
