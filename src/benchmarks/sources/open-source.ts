import { existsSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { FatalError } from '../../errors.js';
import type { SourceRow } from '../types.js';
import { readCsv } from './csv.js';
import { listHfShards, pickShards, type ShardFormat } from './hf-folder.js';
import { looksLikeHubId, resolveHubDataset } from './hub-cache.js';
import { readJsonArray } from './json-array.js';
import { readJsonl } from './jsonl.js';
import { isSubjectCsvFolder, listSubjectFiles } from './mmlu-folder.js';
import { readParquet } from './parquet.js';

export interface SourceRequest {
  readonly split: string;
  readonly config?: string;
  readonly defaultConfig?: string;
  /** Columns for header-less CSVs (the hendrycks MMLU files). */
  readonly headerlessColumns?: readonly string[];
  /** Overrides the adapter's choice: true = the first CSV record is a header. */
  readonly csvHeader?: boolean;
}

export interface OpenedSource {
  /** Every file read, as shown in messages. */
  readonly files: readonly string[];
  readonly rows: AsyncIterable<SourceRow>;
}

type Reader = (path: string, display: string, firstIndex: number) => AsyncGenerator<SourceRow>;

export const SUPPORTED_EXTENSIONS = ['.jsonl', '.json', '.csv', '.parquet'] as const;

/**
 * Opens whatever the user pointed at: a file (format from its extension, checked against its
 * contents), a Hugging Face dataset folder, a hub id resolved in the local hub cache, or the
 * hendrycks MMLU folder of per-subject CSVs. Rows of several files are one stream with one index.
 */
export function openSource(path: string, request: SourceRequest): OpenedSource {
  const root = looksLikeHubId(path) ? resolveHubDataset(path) : path;
  if (!existsSync(root)) throw new FatalError(`${path}: expected a dataset file or folder, found nothing at this path`);
  const header = request.csvHeader ?? request.headerlessColumns === undefined;
  const csvColumns = header ? undefined : request.headerlessColumns ?? [];
  if (statSync(root).isFile()) {
    const reader = readerFor(root, csvColumns);
    return { files: [basename(root)], rows: chain([{ path: root, display: basename(root), reader }]) };
  }
  const shards = listHfShards(root);
  if (shards.length > 0) {
    const picked = pickShards(root, shards, request.split, request.config, request.defaultConfig);
    // The Hub writes CSV shards with a header row, whatever the task's original files lacked.
    const shardColumns = request.csvHeader === false ? csvColumns : undefined;
    const readers: Record<ShardFormat, Reader> = {
      parquet: readParquet,
      jsonl: readJsonl,
      csv: (p, d, i) => readCsv(p, d, i, { columns: shardColumns }),
    };
    return { files: picked.map((s) => s.display), rows: chain(picked.map((s) => ({ ...s, reader: readers[s.format] }))) };
  }
  if (isSubjectCsvFolder(root)) {
    const files = listSubjectFiles(root, request.split);
    const parts = files.map((f) => ({
      path: f.path,
      display: f.display,
      // The subject lives only in the file name; the Hub schema carries it as a column, so add it.
      reader: ((p, d, i) => readCsv(p, d, i, { columns: csvColumns, extra: { subject: f.subject } })) as Reader,
    }));
    return { files: files.map((f) => f.display), rows: chain(parts) };
  }
  throw new FatalError(
    `${path}: expected a ${SUPPORTED_EXTENSIONS.join('/')} file, a Hugging Face dataset folder (<config>/<split>-*.parquet or data/<split>-*.parquet, or <split>-00000-of-00001.jsonl/.csv shards) or a folder of <subject>_<split>.csv files, found a folder with none of these`,
  );
}

function readerFor(path: string, csvColumns: readonly string[] | undefined): Reader {
  switch (extname(path).toLowerCase()) {
    case '.jsonl':
      return readJsonl;
    case '.json':
      return readJsonArray;
    case '.csv': {
      // A single hendrycks file (`anatomy_test.csv`) still names its subject.
      const subject = csvColumns ? /^(.+)_[a-z]+\.csv$/.exec(basename(path))?.[1] : undefined;
      return (p, d, i) => readCsv(p, d, i, { columns: csvColumns, extra: subject ? { subject } : {} });
    }
    case '.parquet':
      return readParquet;
    default:
      throw new FatalError(`${basename(path)}: expected one of the extensions ${SUPPORTED_EXTENSIONS.join(', ')}, found "${extname(path) || '(none)'}"`);
  }
}

async function* chain(parts: { path: string; display: string; reader: Reader }[]): AsyncGenerator<SourceRow> {
  let next = 0;
  for (const part of parts) {
    for await (const row of part.reader(part.path, part.display, next)) {
      next = row.index + 1;
      yield row;
    }
  }
}
