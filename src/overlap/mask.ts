/**
 * `--mask`: a contaminated record is kept with the characters of its matched n-gram windows masked
 * instead of being dropped. Every non-whitespace code point inside a matched window becomes one `*`
 * (MASK): whitespace and line breaks stay, so line numbers, paragraphs and the words around the span
 * are unchanged, and because `*` is in Python's string.punctuation a masked word normalises to
 * nothing under lm-eval's rule, so a rescan of the masked copy finds none of the masked n-grams.
 */
import type { Word } from './normalise.js';

export const MASK = '*';

/** A masked range of a record's text, in code points (Python's str index), end exclusive. */
export interface MaskRange {
  readonly offset: number;
  readonly end: number;
}

/** The union of matched windows (`starts` are window starts, any order, repeats allowed) as character ranges. */
export function maskRanges(ws: readonly Word[], starts: readonly number[], n: number): MaskRange[] {
  const sorted = [...new Set(starts)].sort((a, b) => a - b);
  const out: { offset: number; end: number }[] = [];
  for (const at of sorted) {
    const offset = ws[at].offset;
    const end = ws[at + n - 1].end;
    const last = out.at(-1);
    // Windows sharing words merge; windows that merely touch across whitespace stay apart, harmlessly.
    if (last && offset <= last.end) last.end = Math.max(last.end, end);
    else out.push({ offset, end });
  }
  return out;
}

function isWhitespace(c: string): boolean {
  return /^\s$/u.test(c);
}

/**
 * `text` with every non-whitespace code point in `ranges` replaced by MASK. `base` is the code-point
 * offset of `text` inside the record's text (a part of a chat record), so ranges are record-wide.
 */
export function maskText(text: string, ranges: readonly MaskRange[], base = 0): string {
  if (ranges.length === 0) return text;
  let out = '';
  let cp = base;
  let r = 0;
  for (const c of text) {
    while (r < ranges.length && ranges[r].end <= cp) r += 1;
    out += r < ranges.length && cp >= ranges[r].offset && !isWhitespace(c) ? MASK : c;
    cp += 1;
  }
  return out;
}

/** Code points in a string (astral characters count once, as in Python and in Word offsets). */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}
