/** The shape of overlap.json, shared by the scan, `overlap merge` and the Markdown report. */
import type { Proportion } from '../stats/wilson.js';

export const OVERLAP_SCHEMA_VERSION = 1;

/** Spans and bad-record examples kept per item and per run; counts stay exact beyond them. */
export const MAX_LOCATIONS = 20;
export const MAX_BAD_EXAMPLES = 20;

/** One contiguous run of matched n-gram windows inside one corpus record. */
export interface MatchSpan {
  readonly file: string;
  /** 1-based line of the span's first word (JSONL: the record's line). */
  readonly line: number;
  /** 0-based record number within the file (text files: paragraph number). */
  readonly record: number;
  /** Code-point offsets of the span in the record's text (JSONL: the extracted text field). */
  readonly offset: number;
  readonly end: number;
  /** Matched n-gram windows in the span. */
  readonly windows: number;
}

export interface ItemMatch {
  readonly id: string;
  readonly rowIndex: number;
  readonly words: number;
  /** Distinct n-grams of the checked text. */
  readonly ngrams: number;
  readonly matchedNgrams: readonly { readonly index: number; readonly text: string }[];
  /** matchedNgrams / ngrams. */
  readonly share: number;
  /** At least `minNgrams` distinct n-grams matched: contaminated under the convention. */
  readonly found: boolean;
  /** Matched windows over the whole corpus. */
  readonly windows: number;
  readonly spanCount: number;
  /** The first MAX_LOCATIONS spans in corpus order. */
  readonly spans: readonly MatchSpan[];
}

/** An item with a substring probe found (probes.ts), beside what the n-gram rule said. */
export interface ProbeMatch {
  readonly id: string;
  readonly rowIndex: number;
  /** Indices (0-based, in the item's probes) of the probes found somewhere in the corpus. */
  readonly probesFound: readonly number[];
  /** Records holding at least one of its probes. */
  readonly records: number;
  /** The first such record in corpus order (Parquet: record is the row). */
  readonly first: { readonly file: string; readonly line: number; readonly record: number };
  /** The n-gram rule found the item too. */
  readonly ngramFound: boolean;
}

/** `--probes K`: GPT-4-style substring probes per benchmark. */
export interface ProbeSummary {
  readonly perItem: number;
  /** Items with at least one letter or number: only these have probes. */
  readonly items: number;
  readonly found: number;
  /** found / items, Wilson 95% interval. */
  readonly share: Proportion;
  /** Found by probes but not by n-grams, and the reverse: where the two conventions disagree. */
  readonly onlyProbes: number;
  readonly onlyNgrams: number;
  readonly matches: readonly ProbeMatch[];
}

export interface BenchmarkOverlap {
  readonly benchmark: string;
  readonly task: string;
  readonly split: string;
  readonly files: readonly string[];
  /** The fields whose text was checked, e.g. ["question"]. */
  readonly checked: readonly string[];
  readonly rowsRead: number;
  readonly skippedRows: { readonly count: number; readonly rows: readonly { file: string; location: string; reason: string }[] };
  readonly items: number;
  /** Items with at least N words: only these can ever be found. */
  readonly checkable: number;
  readonly found: number;
  /** Items with some matched n-gram, found or not. */
  readonly partial: number;
  /** found / checkable, Wilson 95% interval. */
  readonly share: Proportion;
  readonly matches: readonly ItemMatch[];
  /** With --probes only. */
  readonly probes?: ProbeSummary;
}

export interface BadRecord {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface CorpusSummary {
  readonly files: readonly { readonly path: string; readonly bytes: number }[];
  readonly skippedFiles: readonly { readonly path: string; readonly reason: string }[];
  readonly textField: string;
  /** Records read (of this shard, when sharded) and their bytes. */
  readonly records: number;
  readonly bytes: number;
  /** Records that contain at least one benchmark n-gram. */
  readonly recordsWithMatches: number;
  readonly badRecords: { readonly count: number; readonly first: readonly BadRecord[] };
  readonly taskFilter?: {
    readonly source: string;
    readonly taskField: string;
    readonly recordsDropped: number;
    /** Per listed name (FLAN spelling), records dropped; every listed name appears, 0 included. */
    readonly dropped: Readonly<Record<string, number>>;
  };
}

export interface OverlapConvention {
  readonly name: string;
  readonly ngram: number;
  readonly minNgrams: number;
  readonly normalisation: string;
  readonly rule: string;
  /** With --probes only: how the substring probes were drawn and matched. */
  readonly probes?: { readonly perItem: number; readonly length: number; readonly seed: number; readonly normalisation: string; readonly rule: string };
}

export interface OverlapRun {
  readonly startedAt: string;
  readonly seconds: number;
  readonly mbPerSecond: number;
  /** Threads that scanned (`--workers`); 1 is the main thread. */
  readonly workers?: number;
  /** "i/N" for a shard; absent for a whole run. */
  readonly shard?: string;
  /** Shard outputs combined by `contam overlap merge`. */
  readonly mergedFrom?: number;
}

export interface OverlapResults {
  readonly schemaVersion: number;
  readonly contamVersion: string;
  readonly convention: OverlapConvention;
  readonly corpus: CorpusSummary;
  readonly benchmarks: readonly BenchmarkOverlap[];
  /** Everything that varies between equal runs (timings, shard) lives here and only here. */
  readonly run: OverlapRun;
}
