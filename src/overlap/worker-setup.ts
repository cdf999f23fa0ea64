/**
 * What a scan worker is started with (plain data: worker_threads copies it by structured clone)
 * and how it rebuilds the index: the same `add` calls over the same normalised texts as
 * results.ts's buildIndex, so every worker's index is identical to the main thread's.
 */
import type { ScanOptions, Shard } from './scan.js';
import { NgramIndex, type IndexedItem } from './ngram-index.js';
import { words } from './normalise.js';

export interface WorkerSetup {
  readonly n: number;
  readonly items: readonly Pick<IndexedItem, 'benchmark' | 'id' | 'rowIndex' | 'text'>[];
  readonly textField?: string;
  readonly taskField: string;
  readonly taskFilter?: { readonly source: string; readonly names: readonly string[] };
  readonly strict: boolean;
  readonly shard?: Shard;
  readonly clean: boolean;
}

export function workerSetup(index: NgramIndex, options: ScanOptions): WorkerSetup {
  return {
    n: index.n,
    items: index.items.map(({ benchmark, id, rowIndex, text }) => ({ benchmark, id, rowIndex, text })),
    textField: options.textField,
    taskField: options.taskField,
    taskFilter: options.taskFilter ? { source: options.taskFilter.source, names: options.taskFilter.names } : undefined,
    strict: options.strict,
    shard: options.shard,
    clean: options.clean !== undefined,
  };
}

export function rebuildIndex(n: number, items: WorkerSetup['items']): NgramIndex {
  const index = new NgramIndex(n);
  for (const { benchmark, id, rowIndex, text } of items) index.add({ benchmark, id, rowIndex, text }, words(text));
  return index;
}
