/**
 * The units of corpus-records.ts (JSONL: one unit per line; text: one per paragraph, blank lines
 * their own units) found inside one buffer of whole records, so the parallel scan can cut a file
 * into chunks on the main thread and re-split each chunk in a worker with exactly the same units.
 * A chunk always ends where a unit ends: JSONL after a newline, text after a blank line (so no
 * paragraph straddles two chunks), or at the end of the file.
 */
import type { CorpusFormat } from './corpus-files.js';

/** One unit inside a chunk: bytes [start, end), the 0-based line it starts on within the chunk. */
export type UnitVisitor = (start: number, end: number, isRecord: boolean, lineInChunk: number) => void;

/** corpus-records.ts's blank test: only spaces, tabs, CR and LF. */
export function isBlankRange(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const b = buf[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/** Calls `visit` for every unit of `buf[0, length)` in order; returns the chunk's line count. */
export function forEachUnit(buf: Buffer, length: number, format: CorpusFormat, visit: UnitVisitor): number {
  let line = 0;
  let paragraphStart = -1;
  let paragraphLine = 0;
  for (let from = 0; from < length; line += 1) {
    const nl = buf.indexOf(10, from);
    const end = nl < 0 || nl >= length ? length : nl + 1;
    const blank = isBlankRange(buf, from, end);
    if (format === 'jsonl') visit(from, end, !blank, line);
    else if (blank) {
      if (paragraphStart >= 0) visit(paragraphStart, from, true, paragraphLine);
      paragraphStart = -1;
      visit(from, end, false, line);
    } else if (paragraphStart < 0) {
      paragraphStart = from;
      paragraphLine = line;
    }
    from = end;
  }
  if (paragraphStart >= 0) visit(paragraphStart, length, true, paragraphLine);
  return line;
}

/** Lines and records of a chunk: what the next chunk's numbering starts after. */
export function countUnits(buf: Buffer, length: number, format: CorpusFormat): { lines: number; records: number } {
  let records = 0;
  const lines = forEachUnit(buf, length, format, (_s, _e, isRecord) => {
    if (isRecord) records += 1;
  });
  return { lines, records };
}

/**
 * Where a buffer of a file's next bytes can be cut so the first part holds whole units only:
 * just after the last newline (JSONL) or the last blank line (text); 0 when there is none yet.
 * `from` skips a prefix already known to hold no cut point.
 */
export function cutPoint(buf: Buffer, length: number, format: CorpusFormat, from = 0): number {
  let nl = length > 0 ? buf.lastIndexOf(10, length - 1) : -1;
  if (format === 'jsonl') return nl >= from ? nl + 1 : 0;
  while (nl >= from) {
    const start = nl > 0 ? buf.lastIndexOf(10, nl - 1) + 1 : 0;
    if (isBlankRange(buf, start, nl)) return nl + 1;
    if (start === 0) return 0;
    nl = start - 1;
  }
  return 0;
}
