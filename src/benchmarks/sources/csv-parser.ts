/** One CSV record with the 1-based line it starts on (a quoted field may span lines). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
  /** Set when the file ends inside a quoted field. */
  readonly unterminated?: boolean;
}

/**
 * An incremental RFC 4180 parser: feed it chunks of any size, get whole records back.
 * Quoted fields may hold commas, newlines and doubled quotes; CRLF and LF both end a record.
 * A stray quote inside an unquoted field is kept literally (Excel does the same) rather than failing.
 * Blank lines are not records.
 */
export class CsvParser {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  /** The previous chunk ended on a quote inside a quoted field: escape or closing quote, undecided. */
  private pendingQuote = false;
  private fieldStarted = false;
  private line = 1;
  private recordLine = 1;
  private sawCr = false;
  private first = true;

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (this.first && chunk !== '') {
      // Excel and TruthfulQA.csv start with a UTF-8 BOM that is not part of the first header.
      text = text.replace(/^\uFEFF/, '');
      this.first = false;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (this.pendingQuote) {
        this.pendingQuote = false;
        if (c === '"') {
          this.field += '"';
          continue;
        }
        this.inQuotes = false;
      }
      if (this.inQuotes) {
        if (c === '"') this.pendingQuote = true;
        else {
          if (c === '\n') this.line += 1;
          this.field += c;
        }
        continue;
      }
      if (c === '\r') {
        this.sawCr = true;
        continue;
      }
      if (this.sawCr && c !== '\n') this.field += '\r';
      this.sawCr = false;
      if (c === '"' && !this.fieldStarted) {
        this.inQuotes = true;
        this.fieldStarted = true;
      } else if (c === ',') {
        this.endField();
      } else if (c === '\n') {
        this.endRecord(out);
        this.line += 1;
        this.recordLine = this.line;
      } else {
        this.field += c;
        this.fieldStarted = true;
      }
    }
    return out;
  }

  /** Flushes the last record (files often lack a final newline). */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    const unterminated = this.inQuotes && !this.pendingQuote;
    if (this.fieldStarted || this.fields.length > 0 || this.field !== '') {
      this.endField();
      out.push({ fields: this.fields, line: this.recordLine, ...(unterminated ? { unterminated } : {}) });
    }
    this.fields = [];
    return out;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }

  private endRecord(out: CsvRecord[]): void {
    const blank = this.fields.length === 0 && this.field === '' && !this.fieldStarted;
    if (!blank) {
      this.endField();
      out.push({ fields: this.fields, line: this.recordLine });
    }
    this.fields = [];
    this.field = '';
    this.fieldStarted = false;
  }
}
