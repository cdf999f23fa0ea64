/**
 * One pass over the corpus: every record's text is normalised, its n-gram windows probed in the
 * benchmark index, and matches gathered per item. Memory holds the index, the per-item matches and
 * one record at a time, never the corpus. A bad record is counted (fatal only with `strict`).
 */
import { resolve } from 'node:path';
import { FatalError, errorMessage } from '../errors.js';
import { truncate } from '../util/text.js';
import { describeFormat, type CorpusFile } from './corpus-files.js';
import { units } from './corpus-records.js';
import type { CleanWriter } from './clean-writer.js';
import type { ProbeScan } from './probe-scan.js';
import { writeCleanRecord } from './clean-record.js';
import type { TaskFilter } from './drop-tasks.js';
import { ItemMatches } from './item-matches.js';
import type { NgramIndex } from './ngram-index.js';
import { words } from './normalise.js';
import { recordTask, recordText } from './record-text.js';
import { MAX_BAD_EXAMPLES, type BadRecord } from './types.js';

export interface Shard {
  readonly index: number;
  readonly count: number;
}

export interface ScanProgress {
  /** Corpus bytes scanned (decompressed). */
  readonly bytesRead: number;
  /** Bytes of the files on disk consumed (compressed for .gz): what an ETA over the corpus' size uses. */
  readonly inputBytes?: number;
  readonly records: number;
  readonly recordsWithMatches: number;
  /** Benchmark items with at least one matched n-gram so far. */
  readonly itemsMatched?: number;
  readonly seconds: number;
}

export interface ScanOptions {
  readonly textField?: string;
  readonly taskField: string;
  readonly taskFilter?: TaskFilter;
  readonly strict: boolean;
  readonly shard?: Shard;
  readonly clean?: CleanWriter;
  /** `--probes K`: substring probes looked for in every record's text (probe-scan.ts). */
  readonly probes?: ProbeScan;
  /** With `clean`: matched records are written masked instead of removed (clean-record.ts). */
  readonly mask?: boolean;
  readonly onProgress?: (progress: ScanProgress) => void;
  /** Milliseconds between progress calls; default 1000. */
  readonly progressEvery?: number;
}

export interface ScanResult {
  readonly matches: ReadonlyMap<number, ItemMatches>;
  readonly records: number;
  readonly bytes: number;
  readonly recordsWithMatches: number;
  readonly badCount: number;
  readonly badFirst: readonly BadRecord[];
  readonly recordsDropped: number;
  readonly dropped: Readonly<Record<string, number>>;
  readonly seconds: number;
}

export async function scanCorpus(files: readonly CorpusFile[], index: NgramIndex, options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const matches = new Map<number, ItemMatches>();
  const dropped: Record<string, number> = Object.fromEntries((options.taskFilter?.names ?? []).map((n) => [n, 0]));
  const badFirst: BadRecord[] = [];
  let badCount = 0;
  let records = 0;
  let bytes = 0;
  let bytesRead = 0;
  let recordsWithMatches = 0;
  let recordsDropped = 0;
  let globalRecord = 0;
  let lastProgress = started;
  const every = options.progressEvery ?? 1000;
  // On-disk bytes consumed: whole files done, plus the current file's when not compressed (this
  // path does not see a .gz file's compressed position; the parallel scan does).
  let inputDone = 0;
  let fileRead = 0;
  const progress = () =>
    options.onProgress?.({ bytesRead, inputBytes: inputDone + fileRead, records, recordsWithMatches, itemsMatched: matches.size, seconds: (performance.now() - started) / 1000 });

  for (const file of files) {
    await options.clean?.openFile(file);
    try {
      await scanFile(file);
    } catch (error) {
      if (error instanceof FatalError) throw error;
      throw new FatalError(`--corpus ${file.path}: cannot read this file (${errorMessage(error)}); expected ${describeFormat(file)}`);
    }
    await options.clean?.closeFile();
    inputDone += file.bytes;
    fileRead = 0;
  }
  progress();
  return { matches, records, bytes, recordsWithMatches, badCount, badFirst, recordsDropped, dropped, seconds: (performance.now() - started) / 1000 };

  async function scanFile(file: CorpusFile): Promise<void> {
    for await (const unit of units(file, resolve(file.path))) {
      bytesRead += unit.raw.length;
      if (!file.gzip) fileRead += unit.raw.length;
      if (performance.now() - lastProgress >= every) {
        lastProgress = performance.now();
        progress();
      }
      if (!unit.isRecord) {
        await options.clean?.keep(unit.raw, false);
        continue;
      }
      const number = globalRecord++;
      if (options.shard && number % options.shard.count !== options.shard.index) continue;
      records += 1;
      bytes += unit.raw.length;
      const source = unit.raw.toString('utf8');
      let text: string | undefined;
      let task: string | undefined;
      let problem: string | undefined;
      let row: unknown;
      // Parquet rows arrive as JSON lines (parquet-records.ts).
      if (file.format !== 'text') {
        try {
          row = JSON.parse(source);
        } catch (error) {
          problem = `not valid JSON (${error instanceof Error ? error.message : String(error)})`;
        }
        if (problem === undefined) {
          const got = recordText(row, options.textField);
          if ('problem' in got) problem = got.problem;
          else text = got.text;
          task = recordTask(row, options.taskField);
        }
      } else text = source;
      if (text === undefined) {
        const reason = truncate(problem ?? 'no text', 200);
        if (options.strict) throw new FatalError(`${file.path} line ${unit.line}: ${reason} (--strict stops at the first bad record)`);
        badCount += 1;
        if (badFirst.length < MAX_BAD_EXAMPLES) badFirst.push({ file: file.path, line: unit.line, reason });
        await options.clean?.keep(unit.raw);
        continue;
      }
      const dropName = task !== undefined ? options.taskFilter?.match(task) : undefined;
      if (dropName !== undefined) {
        dropped[dropName] += 1;
        recordsDropped += 1;
      }
      const ws = words(text);
      options.probes?.record(text, { file: file.path, line: unit.line, record: unit.record });
      const hits = new Map<number, { starts: number[]; ks: number[] }>();
      index.probe(ws, (postings, at) => {
        for (const { item, k } of postings) {
          let h = hits.get(item);
          if (!h) hits.set(item, (h = { starts: [], ks: [] }));
          h.starts.push(at);
          h.ks.push(k);
        }
      });
      if (hits.size > 0) recordsWithMatches += 1;
      for (const [item, h] of hits) {
        let m = matches.get(item);
        if (!m) matches.set(item, (m = new ItemMatches()));
        m.addRecord(h.starts, h.ks, ws, index.n, { file: file.path, line: unit.line, record: unit.record, textLines: file.format === 'text' });
      }
      if (options.clean) {
        const byId = new Map([...hits.keys()].sort((a, b) => a - b).map((i) => [index.items[i].id, (hits.get(i) as { starts: number[] }).starts]));
        const scanned = { file: file.path, format: file.format, line: unit.line, record: unit.record, raw: unit.raw, row, text, ws, hits: byId, dropTask: dropName };
        await writeCleanRecord(options.clean, scanned, index.n, { mask: options.mask === true, textField: options.textField });
      }
    }
  }
}
