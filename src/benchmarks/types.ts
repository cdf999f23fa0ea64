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
}

/** A row that could not become a sample, counted in the report. */
export interface SkippedRow {
  readonly file: string;
  /** 1-based line for text formats, 0-based row index for parquet. */
  readonly location: string;
  readonly reason: string;
}
