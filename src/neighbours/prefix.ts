/**
 * The prefix from which the reference model writes neighbours (detection-methods.md §1.3, step 2).
 * Upstream (swj0419/detect-pretrain-code-contamination `run.py:88-103`): words = text.split(),
 * n_pref = ceil(len(words) * ratio), prefix = the first n_pref words joined by single spaces (so
 * newlines are lost, which matters for GSM8K), budget = len(words) - n_pref, and the literal
 * '<|startoftext|> ' as prefix only when n_pref == 0.
 */

/** Python's str.split() separators (str.isspace); JS `\s` differs: it adds U+FEFF and lacks U+001C-U+001F and U+0085. */
const PY_WHITESPACE = '\\t\\n\\v\\f\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WORD = new RegExp(`[^${PY_WHITESPACE}]+`, 'g');

/** Upstream's prefix when no word is taken. */
export const FALLBACK_PREFIX = '<|startoftext|> ';

export interface NeighbourPrefix {
  readonly prefix: string;
  /** n_pref: words in the prefix. */
  readonly prefixWords: number;
  /** len(words) - n_pref: upstream's max_new_tokens, a word count used as a token budget. */
  readonly remainingWords: number;
  readonly totalWords: number;
  /** True when n_pref == 0 and the prefix is FALLBACK_PREFIX (compat) or '' (exact). */
  readonly usedFallback: boolean;
}

interface Word {
  readonly text: string;
  readonly end: number;
}

function splitWords(text: string): Word[] {
  return Array.from(text.matchAll(WORD), (m) => ({ text: m[0], end: (m.index ?? 0) + m[0].length }));
}

/** n_pref = ceil(words · prefixRatio) on the same float64 product as Python's math.ceil. */
function prefixWordCount(words: number, prefixRatio: number): number {
  if (!(prefixRatio >= 0 && prefixRatio <= 1)) throw new RangeError(`neighbour prefix ratio must be in [0, 1], got ${prefixRatio}`);
  return Math.ceil(words * prefixRatio);
}

/** Upstream's prefix, quirks included: single spaces between words. */
export function neighbourPrefix(text: string, prefixRatio: number): NeighbourPrefix {
  const words = splitWords(text);
  const nPref = prefixWordCount(words.length, prefixRatio);
  const usedFallback = nPref === 0;
  return {
    prefix: usedFallback ? FALLBACK_PREFIX : words.slice(0, nPref).map((w) => w.text).join(' '),
    prefixWords: nPref,
    remainingWords: words.length - nPref,
    totalWords: words.length,
    usedFallback,
  };
}

/**
 * Fixed mode's prefix: the same n_pref words, but the original's exact leading characters (its own
 * newlines and spacing), so the neighbour and the original share a prefix the tokenizer splits alike.
 * With no word taken the prefix is '' and the sampler starts from the model's BOS.
 */
export function exactPrefix(text: string, prefixRatio: number): NeighbourPrefix {
  const words = splitWords(text);
  const nPref = prefixWordCount(words.length, prefixRatio);
  return {
    prefix: nPref === 0 ? '' : text.slice(0, words[nPref - 1].end),
    prefixWords: nPref,
    remainingWords: words.length - nPref,
    totalWords: words.length,
    usedFallback: nPref === 0,
  };
}
