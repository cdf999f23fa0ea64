/**
 * lm-evaluation-harness's decontamination text convention (lm_eval/decontamination/janitor.py,
 * `Janitor.normalize_string` + `word_ngrams`): ASCII letters are lowercased (other letters are left
 * as they are), the 32 characters of Python's `string.punctuation` are deleted, and the text is split
 * on whitespace (`str.split()`). A word made only of punctuation therefore vanishes, and "don't" and
 * "dont" are the same word. N-grams are N consecutive words of one document: they never span two
 * documents, and a text of fewer than N words has none.
 */

/** The default N: lm-eval (after GPT-3's appendix C) uses 13 for every task. */
export const DEFAULT_NGRAM = 13;

/** Python's string.punctuation, !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~, is exactly the ASCII ranges !-/ :-@ [-` {-~. */

/** Whitespace as Python's str.split() sees it (Unicode White_Space plus the \x1c-\x1f separators). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 || code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000
  );
}

/** One normalised word and where its raw form starts in the original text. */
export interface Word {
  readonly word: string;
  /** Offset of the raw word's first character, in Unicode code points (Python's str index). */
  readonly offset: number;
  /** Offset just past the raw word, in code points. */
  readonly end: number;
  /** 0-based count of line breaks (\n) before the word in the text. */
  readonly lineDelta: number;
}

const PUNCTUATION_RE = /[!-/:-@[-`{-~]/g;
const UPPER_RE = /[A-Z]/g;

/** ASCII punctuation (Python's string.punctuation) or A-Z: a character the translate table changes. */
function changed(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e) || (c >= 0x41 && c <= 0x5a);
}

/** lm-eval's translate table for one raw word: delete ASCII punctuation, lowercase A-Z only. */
function normaliseWord(raw: string): string {
  // Most corpus words need nothing: a character loop finds that without a regular expression.
  let i = 0;
  while (i < raw.length && !changed(raw.charCodeAt(i))) i += 1;
  if (i === raw.length) return raw;
  return raw.replace(PUNCTUATION_RE, '').replace(UPPER_RE, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** Splits and normalises `text` as lm-eval does, keeping each word's position for locations. */
export function words(text: string): Word[] {
  const out: Word[] = [];
  let codePoint = 0;
  let lines = 0;
  let inWord = false;
  let start = 0;
  let startCodePoint = 0;
  let startLines = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || isSpace(code)) {
      if (inWord) {
        const word = normaliseWord(text.slice(start, i));
        if (word !== '') out.push({ word, offset: startCodePoint, end: codePoint, lineDelta: startLines });
        inWord = false;
      }
      if (code === 0x0a) lines += 1;
    } else if (!inWord) {
      inWord = true;
      start = i;
      startCodePoint = codePoint;
      startLines = lines;
    }
    // A low surrogate continues the code point its high surrogate began.
    if (code < 0xdc00 || code > 0xdfff || i === 0 || text.charCodeAt(i - 1) < 0xd800 || text.charCodeAt(i - 1) > 0xdbff) codePoint += 1;
  }
  if (inWord) {
    const word = normaliseWord(text.slice(start));
    if (word !== '') out.push({ word, offset: startCodePoint, end: codePoint, lineDelta: startLines });
  }
  return out;
}

/** The normalised words alone, joined by one space: the form lm-eval stores n-grams in. */
export function normalise(text: string): string {
  return words(text).map((w) => w.word).join(' ');
}
