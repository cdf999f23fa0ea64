/**
 * One chunk of whole corpus records scanned as scan.ts scans them record by record (the same
 * parsing, bad-record rule, task filter, probe and span bookkeeping), returned as plain data so a
 * worker can post it back and the main thread can merge chunks in corpus order into exactly the
 * single-thread result. Pure apart from the index it reads.
 */
import { truncate } from '../util/text.js';
import { forEachUnit } from './chunk-units.js';
import type { CorpusFormat } from './corpus-files.js';
import type { TaskFilter } from './drop-tasks.js';
import { ItemMatches } from './item-matches.js';
import type { NgramIndex } from './ngram-index.js';
import { words } from './normalise.js';
import { recordTask, recordText } from './record-text.js';
import type { Shard } from './scan.js';
import { MAX_BAD_EXAMPLES, type BadRecord, type MatchSpan } from './types.js';

/** Where a chunk sits in its file and in the corpus, counted by the main thread before dispatch. */
export interface ChunkMeta {
  readonly seq: number;
  readonly file: string;
  readonly format: CorpusFormat;
  /** 1-based line of the chunk's first byte. */
  readonly line: number;
  /** 0-based record number (within the file) of the chunk's first record. */
  readonly record: number;
  /** 0-based record number across all files, for `--shard`. */
  readonly globalRecord: number;
  readonly length: number;
}

export interface ChunkContext {
  readonly index: NgramIndex;
  readonly textField?: string;
  readonly taskField: string;
  readonly taskFilter?: TaskFilter;
  readonly strict: boolean;
  readonly shard?: Shard;
  /** Compute what `--write-clean` leaves out. */
  readonly clean: boolean;
}

/** One record's matches of one item: ItemMatches' fields for that record alone. */
export interface RecordHits {
  readonly item: number;
  readonly ks: readonly number[];
  readonly windows: number;
  readonly spanCount: number;
  readonly spans: readonly MatchSpan[];
}

export interface ChunkResult {
  readonly seq: number;
  readonly records: number;
  readonly bytes: number;
  readonly recordsWithMatches: number;
  readonly badCount: number;
  readonly badFirst: readonly BadRecord[];
  /** The first bad record under `--strict`: the scan stops there. */
  readonly fatal?: string;
  readonly recordsDropped: number;
  readonly dropped: Readonly<Record<string, number>>;
  /** In record order. */
  readonly hits: readonly RecordHits[];
  /** Byte ranges [start, end) not written to a clean copy (removed or outside the shard), ascending. */
  readonly omit: readonly number[];
  readonly removals: readonly { readonly file: string; readonly line: number; readonly record: number; readonly reasons: readonly string[] }[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

/** The text and task of one record, or why it has none (scan.ts's rules). */
function readRecord(source: string, format: CorpusFormat, ctx: ChunkContext): { text?: string; task?: string; problem?: string } {
  if (format !== 'jsonl') return { text: source };
  let row: unknown;
  try {
    row = JSON.parse(source);
  } catch (error) {
    return { problem: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const got = recordText(row, ctx.textField);
  const task = recordTask(row, ctx.taskField);
  return 'problem' in got ? { problem: got.problem, task } : { text: got.text, task };
}

export function scanChunk(buf: Buffer, meta: ChunkMeta, ctx: ChunkContext): ChunkResult {
  const out: Mutable<ChunkResult> = { seq: meta.seq, records: 0, bytes: 0, recordsWithMatches: 0, badCount: 0, badFirst: [], recordsDropped: 0, dropped: {}, hits: [], omit: [], removals: [] };
  const dropped: Record<string, number> = {};
  const { index } = ctx;
  let recordInChunk = 0;
  forEachUnit(buf, meta.length, meta.format, (start, end, isRecord, lineInChunk) => {
    if (!isRecord || out.fatal !== undefined) return;
    const number = meta.globalRecord + recordInChunk;
    const record = meta.record + recordInChunk;
    const line = meta.line + lineInChunk;
    recordInChunk += 1;
    if (ctx.shard && number % ctx.shard.count !== ctx.shard.index) {
      out.omit.push(start, end);
      return;
    }
    out.records += 1;
    out.bytes += end - start;
    const got = readRecord(buf.toString('utf8', start, end), meta.format, ctx);
    if (got.text === undefined) {
      const reason = truncate(got.problem ?? 'no text', 200);
      if (ctx.strict) {
        out.fatal = `${meta.file} line ${line}: ${reason} (--strict stops at the first bad record)`;
        return;
      }
      out.badCount += 1;
      if (out.badFirst.length < MAX_BAD_EXAMPLES) out.badFirst.push({ file: meta.file, line, reason });
      return;
    }
    const dropName = got.task !== undefined ? ctx.taskFilter?.match(got.task) : undefined;
    if (dropName !== undefined) {
      dropped[dropName] = (dropped[dropName] ?? 0) + 1;
      out.recordsDropped += 1;
    }
    const ws = words(got.text);
    const found = new Map<number, { starts: number[]; ks: number[] }>();
    index.probe(ws, (postings, at) => {
      for (const { item, k } of postings) {
        let h = found.get(item);
        if (!h) found.set(item, (h = { starts: [], ks: [] }));
        h.starts.push(at);
        h.ks.push(k);
      }
    });
    if (found.size > 0) out.recordsWithMatches += 1;
    for (const [item, h] of found) {
      // A fresh ItemMatches per record keeps one span rule for both paths; it keeps at most
      // MAX_LOCATIONS spans, and the merge never needs more than that from one record.
      const m = new ItemMatches();
      m.addRecord(h.starts, h.ks, ws, index.n, { file: meta.file, line, record, textLines: meta.format === 'text' });
      out.hits.push({ item, ks: [...m.matched], windows: m.windows, spanCount: m.spanCount, spans: m.spans });
    }
    if (!ctx.clean) return;
    const reasons: string[] = [];
    if (found.size > 0) reasons.push(`overlap: ${[...found.keys()].sort((a, b) => a - b).map((i) => index.items[i].id).join(', ')}`);
    if (dropName !== undefined) reasons.push(`task: ${dropName}`);
    if (reasons.length === 0) return;
    out.omit.push(start, end);
    out.removals.push({ file: meta.file, line, record, reasons });
  });
  out.dropped = dropped;
  return out;
}
