/** One benchmark item ready to be scored. */
export interface Sample {
  /** Stable id: `${benchmark}/${split}/${rowIndex}`. */
  readonly id: string;
  readonly benchmark: string;
  readonly split: string;
  /** Index of the row in the source, counted over all rows read (skipped ones included). */
  readonly rowIndex: number;
  /** Exactly what is scored. */
  readonly text: string;
  /** sha256 of text, hex. */
  readonly textHash: string;
  /** Optional member/non-member label for labelled evaluation. */
  readonly label?: 'member' | 'non-member';
  /** The row's own id when the task knows one (custom `idField`). */
  readonly sourceId?: string;
}

/** A row that could not become a sample, counted in the report. */
export interface SkippedRow {
  readonly file: string;
  /** 1-based line for text formats, 0-based row index for parquet. */
  readonly location: string;
  readonly reason: string;
  /** The whole line shown to users: `gsm8k: test.jsonl line 12: field "answer": expected a string, found number 3`. */
  readonly message: string;
}

/** Where a raw row came from: a 1-based line for text formats, a 0-based row for parquet and JSON arrays. */
export interface RowLocation {
  readonly file: string;
  readonly line?: number;
  readonly row?: number;
}

/**
 * One raw row from a source. `problem` is set instead of a usable `row` when the
 * source itself could not read it (a malformed JSONL line, a ragged CSV record):
 * such rows are still counted and reported like any invalid row.
 */
export interface SourceRow {
  readonly row: Record<string, unknown>;
  readonly location: RowLocation;
  /** 0-based over every row of the source, across files, skipped rows included. */
  readonly index: number;
  readonly problem?: string;
}

/** Options a task adapter understands; each adapter reads only its own. */
export interface TaskOptions {
  /** Reproduce the upstream tool's quirks (ARC: drop items whose answerKey is not A-D). */
  readonly compat?: boolean;
  /** GSM8K: keep "#### <answer>" instead of cutting the text before it. */
  readonly keepFinalAnswer?: boolean;
  /** custom: template over the row's fields, e.g. "{question} {answer}". */
  readonly template?: string;
  /** custom: field holding the row's own id, kept as `sourceId`. */
  readonly idField?: string;
  /** custom: field holding member / non-member (1/0, true/false, "member"/"non-member"). */
  readonly labelField?: string;
  /** custom: benchmark name used in sample ids (default "custom"). */
  readonly name?: string;
  /** CSV files: whether the first record is a header; default: the adapter's choice. */
  readonly csvHeader?: boolean;
}

/** What an adapter makes of one row: the scored text, or why the row cannot be used. */
export type TextResult =
  | { readonly text: string; readonly label?: 'member' | 'non-member'; readonly sourceId?: string }
  | { readonly skip: string };

/** A benchmark declared as data: where its rows are and how a row becomes the scored text. */
export interface TaskAdapter {
  readonly name: string;
  /** Bumped whenever the text of any row changes, so caches and reports can tell. */
  readonly version: string;
  readonly defaultSplit: string;
  /** Hugging Face config folder looked for in a dataset folder (e.g. "ARC-Challenge"). */
  readonly defaultConfig?: string;
  readonly describe: string;
  /** Human-readable list of accepted schemas, shown by `contam list benchmarks`. */
  readonly accepts: readonly string[];
  /** Column names for CSV files without a header (hendrycks MMLU); absent: CSVs have a header. */
  readonly headerlessColumns?: readonly string[];
  toText(row: Record<string, unknown>, options: TaskOptions): TextResult;
}
