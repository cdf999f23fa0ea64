/**
 * The sample view shows the sample's own text when its token texts do not join back into it (the
 * word-level fixture tokenizer decodes one token without its space, and unknown words as <unk>),
 * with the low tokens still highlighted; found by the tmux test, where the text showed glued words.
 */
import { describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../src/audit/types.js';
import { highlightSegments } from '../../src/ui/sample-text.js';

function sample(text: string, tokens: string[], low: number[]): SampleRecord {
  return {
    id: 'b/test/0', benchmark: 'b', rowIndex: 0, textHash: 'h', text,
    scores: {}, controlScores: {}, ranks: {}, controlRanks: {}, flags: {}, controlFlags: {},
    ranksExact: true, neighboursScored: 0, neighboursTotal: 0, neighbourExamples: [], ppl: 1,
    tokens: tokens.map((t, i) => ({ text: t, logprob: i === 0 ? null : -1 })),
    lowestTokens: low.map((position) => ({ text: tokens[position], position, logprob: -9 })),
  };
}

describe('sample text with token texts that do not rebuild it', () => {
  it('shows the words with their spaces and highlights the low tokens in place', () => {
    expect(highlightSegments(sample('the cat sat on the mat', ['the', 'cat', 'sat', 'on', 'the', 'mat'], [4]))).toEqual([
      { text: 'the', low: false }, { text: ' ', low: false }, { text: 'cat', low: false }, { text: ' ', low: false },
      { text: 'sat', low: false }, { text: ' ', low: false }, { text: 'on', low: false }, { text: ' ', low: false },
      { text: 'the', low: true }, { text: ' ', low: false }, { text: 'mat', low: false },
    ]);
  });

  it('shows an unknown word from the text, sanitized, and highlights it when its <unk> token is low', () => {
    const segments = highlightSegments(sample('the \u001b[2Jx cat sat', ['the', '<unk>', 'cat', 'sat'], [1]));
    expect(segments.map((s) => s.text).join('')).toBe('the ␛[2Jx cat sat');
    expect(segments.filter((s) => s.low)).toEqual([{ text: ' ␛[2Jx ', low: true }]);
  });

  it('keeps the token texts when they already rebuild the text (byte-level tokenizers)', () => {
    expect(highlightSegments(sample('a b', ['a', ' b'], [1]))).toEqual([{ text: 'a', low: false }, { text: ' b', low: true }]);
  });
});
