/**
 * A sample's text as segments with the target's lowest-probability tokens (the Min-K% set)
 * flagged, wrapped into lines of a given width for the sample view. Pure; every piece is
 * sanitized here, so the view never sees a raw control character.
 */
import type { SampleRecord } from '../audit/types.js';
import { sanitizeForTerminal } from './sanitize.js';

export interface TextSegment {
  readonly text: string;
  /** One of the lowest-probability tokens. */
  readonly low: boolean;
}

const keep = { newlines: 'keep' } as const;

/**
 * With per-token texts, a low token is found by its position (checked against its text, and
 * tolerating an off-by-one between "token index" and "predicted-token index"). Without them, each
 * low token's text is searched in the sample text, in order.
 */
export function highlightSegments(sample: SampleRecord): TextSegment[] {
  const lows = sample.lowestTokens;
  if (sample.tokens.length > 0) {
    const marked = new Set<number>();
    for (const low of lows) {
      const at = [low.position, low.position + 1, low.position - 1].find((p) => sample.tokens[p]?.text === low.text);
      marked.add(at ?? low.position);
    }
    const aligned = sample.tokens.map((t) => t.text).join('') === sample.text ? undefined : alignTokens(sample, marked);
    if (aligned) return aligned;
    return sample.tokens.map((t, i) => ({ text: sanitizeForTerminal(t.text, keep), low: marked.has(i) }));
  }
  const segments: TextSegment[] = [];
  let cursor = 0;
  for (const low of lows) {
    if (low.text.length === 0) continue;
    const at = sample.text.indexOf(low.text, cursor);
    if (at === -1) continue;
    if (at > cursor) segments.push({ text: sample.text.slice(cursor, at), low: false });
    segments.push({ text: low.text, low: true });
    cursor = at + low.text.length;
  }
  if (cursor < sample.text.length) segments.push({ text: sample.text.slice(cursor), low: false });
  return segments.map((s) => ({ ...s, text: sanitizeForTerminal(s.text, keep) }));
}

/**
 * Token texts that do not join back into the text (a tokenizer whose one-token decode drops the
 * space before a word, or `<unk>`): show the original text, each token found in it in order; a
 * token not found highlights, when low, the text up to the next token found. Undefined when fewer
 * than half the tokens are found: the tokens then say more than the text.
 */
function alignTokens(sample: SampleRecord, marked: ReadonlySet<number>): TextSegment[] | undefined {
  const text = sample.text;
  const segments: TextSegment[] = [];
  let cursor = 0;
  let pendingLow = false;
  let missing = 0;
  sample.tokens.forEach((t, i) => {
    const at = t.text.length === 0 ? -1 : text.indexOf(t.text, cursor);
    if (at === -1) {
      missing += 1;
      pendingLow ||= marked.has(i);
      return;
    }
    if (at > cursor) segments.push({ text: text.slice(cursor, at), low: pendingLow && text.slice(cursor, at).trim() !== '' });
    segments.push({ text: t.text, low: marked.has(i) });
    pendingLow = false;
    cursor = at + t.text.length;
  });
  if (missing * 2 > sample.tokens.length) return undefined;
  if (cursor < text.length) segments.push({ text: text.slice(cursor), low: pendingLow });
  return segments.map((s) => ({ ...s, text: sanitizeForTerminal(s.text, keep) }));
}

/**
 * Greedy word wrap to `width` columns (code points), keeping each piece's flag; hard line breaks
 * are honoured and words longer than a line are split.
 */
export function wrapSegments(segments: readonly TextSegment[], width: number): TextSegment[][] {
  const w = Math.max(1, width);
  const lines: TextSegment[][] = [[]];
  let used = 0;
  const put = (text: string, low: boolean): void => {
    const line = lines[lines.length - 1];
    const last = line[line.length - 1];
    if (last && last.low === low) line[line.length - 1] = { text: last.text + text, low };
    else line.push({ text, low });
    used += Array.from(text).length;
  };
  const newLine = (): void => {
    lines.push([]);
    used = 0;
  };
  for (const segment of segments) {
    const parts = segment.text.split(/(\n|[^\S\n]+)/);
    for (const part of parts) {
      if (part === '') continue;
      if (part === '\n') {
        newLine();
        continue;
      }
      let chars = Array.from(part);
      const isSpace = /^[^\S\n]+$/.test(part);
      if (used + chars.length > w && used > 0) {
        if (isSpace) {
          newLine(); // a break replaces the space
          continue;
        }
        newLine();
      }
      while (used + chars.length > w) {
        const room = w - used;
        put(chars.slice(0, room).join(''), segment.low);
        chars = chars.slice(room);
        newLine();
      }
      if (chars.length > 0) put(chars.join(''), segment.low);
    }
  }
  return lines;
}
