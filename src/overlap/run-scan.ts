/**
 * Picks the scan: in this thread (scan.ts) for `--workers 1`, else on worker threads
 * (parallel-scan.ts). Worker threads cut files into chunks of lines, so they read only line-based
 * files they can decompress themselves (JSONL and text, plain or .gz); a corpus with any other
 * file is scanned in this thread, and `workers` in the answer says what ran.
 */
import { availableParallelism } from 'node:os';
import type { CorpusFile } from './corpus-files.js';
import type { NgramIndex } from './ngram-index.js';
import { scanCorpusParallel } from './parallel-scan.js';
import { scanCorpus, type ScanOptions, type ScanResult } from './scan.js';

const CHUNKABLE = /\.(jsonl|ndjson|txt|md)(\.gz)?$/i;

export function defaultWorkers(): number {
  return availableParallelism();
}

/** What a scan is asked to do beyond finding n-grams (ScanOptions' fields, or the flags that set them). */
export interface ScanExtras {
  readonly probes?: unknown;
  readonly mask?: boolean;
  readonly clean?: unknown;
  readonly shard?: unknown;
}

/** Why the scan cannot be split among workers, or undefined when it can. */
export function singleThreadReason(files: readonly CorpusFile[], extras: ScanExtras = {}): string | undefined {
  const other = files.find((f) => (f.format !== 'jsonl' && f.format !== 'text') || !CHUNKABLE.test(f.path));
  if (other) return `${other.path} is not line-based JSONL or text (plain or .gz)`;
  // The workers find n-grams only: probes, masking and a shard's own clean copy (records without
  // their separators) need this thread's scan.
  if (extras.probes) return 'probes run in one thread';
  if (extras.mask) return 'masking runs in one thread';
  if (extras.clean && extras.shard) return "a shard's clean copy is written in one thread";
  return undefined;
}

export interface RunScanResult {
  readonly scan: ScanResult;
  /** Worker threads used; 1 means this thread. */
  readonly workers: number;
  /** Set when more workers were asked for than could be used, and why. */
  readonly fallback?: string;
}

export async function runScan(files: readonly CorpusFile[], index: NgramIndex, options: ScanOptions, workers: number): Promise<RunScanResult> {
  if (workers <= 1) return { scan: await scanCorpus(files, index, options), workers: 1 };
  const reason = singleThreadReason(files, options);
  if (reason !== undefined) return { scan: await scanCorpus(files, index, options), workers: 1, fallback: reason };
  return { scan: await scanCorpusParallel(files, index, options, workers), workers };
}
