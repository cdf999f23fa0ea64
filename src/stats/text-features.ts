/**
 * Model-free text features for the blind baseline (blind-baseline.ts): the word split its bag of
 * words uses, and the surface statistics that most often differ between a member and a non-member
 * set collected at different times or from different sources (length, numbers, casing, punctuation).
 */

/** Lowercased runs of letters, digits and apostrophes; everything else separates words. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
}

export const DENSE_FEATURES = [
  'log word count',
  'log character count',
  'digit share',
  'uppercase share of letters',
  'punctuation share',
  'mean word length',
] as const;

/** One value per DENSE_FEATURES entry, in that order; shares of an empty text are 0. */
export function textFeatures(text: string): Float64Array {
  const words = wordsOf(text);
  const chars = [...text];
  let digits = 0;
  let letters = 0;
  let upper = 0;
  let punctuation = 0;
  for (const c of chars) {
    if (/\p{N}/u.test(c)) digits++;
    else if (/\p{L}/u.test(c)) {
      letters++;
      if (c !== c.toLowerCase()) upper++;
    } else if (!/\s/u.test(c)) punctuation++;
  }
  const share = (k: number, of: number): number => (of > 0 ? k / of : 0);
  return Float64Array.of(
    Math.log1p(words.length),
    Math.log1p(chars.length),
    share(digits, chars.length),
    share(upper, letters),
    share(punctuation, chars.length),
    share(words.reduce((sum, w) => sum + w.length, 0), words.length),
  );
}
