import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { FatalError } from '../../errors.js';
import type { SourceRow } from '../types.js';
import { sniff, wrongFormat } from './sniff.js';

/**
 * A Parquet file, read one row group at a time so memory stays bounded by the largest group
 * (Hugging Face writes groups of a few thousand rows). hyparquet assembles LIST and struct
 * columns into arrays and objects, the shapes `datasets` gives in Python; `compressors` adds
 * the ZSTD/GZIP/Brotli/LZ4 codecs that hyparquet lacks on its own.
 * Location is the 0-based row in the file.
 */
export async function* readParquet(path: string, display: string, firstIndex = 0): AsyncGenerator<SourceRow> {
  const found = await sniff(path);
  if (found.kind !== 'parquet') throw wrongFormat(display, 'a Parquet file (starting with "PAR1")', found);
  const file = await asyncBufferFromFile(path);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new FatalError(`${display}: expected a readable Parquet footer, found ${error instanceof Error ? error.message : String(error)}`);
  }
  let rowStart = 0;
  let index = firstIndex;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, compressors, rowStart, rowEnd });
    for (const [i, row] of rows.entries()) {
      yield { row: plain(row) as Record<string, unknown>, location: { file: display, row: rowStart + i }, index: index++ };
    }
    rowStart = rowEnd;
  }
}

/** INT64 columns come back as bigint; answers and labels are small, so make them numbers when exact. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
