/**
 * Makes untrusted text (dataset rows, model continuations, file names, error messages) safe to
 * print. A benchmark row can carry `ESC [2J`, an OSC 8 hyperlink or an OSC 0 title change; printed
 * raw, it would clear the screen, retitle the terminal or break Ink's frame. Rather than deleting
 * such bytes (which would hide that the data contains them), every control character becomes a
 * visible stand-in: C0 controls become their Unicode Control Pictures (ESC -> ␛, BEL -> ␇,
 * BS -> ␈, CR -> ␍), DEL becomes ␡, C1 controls and bidirectional overrides become `\u009b`-style
 * text. With ESC itself replaced, the rest of any escape sequence is inert text (`␛[31m`).
 */

/** How line breaks inside the text are shown. */
export type NewlineMode =
  /** `↵`: the text stays on one line (table cells, list rows). */
  | 'symbol'
  /** A single space: one line, easier to read in a snippet. */
  | 'space'
  /** A real line break: for multi-line views that lay the text out themselves. */
  | 'keep';

export interface SanitizeOptions {
  /** Default 'symbol'. */
  readonly newlines?: NewlineMode;
}

const CONTROL_PICTURES_BASE = 0x2400;

// C0 (except \n, handled by the caller's mode), DEL, C1, bidi embeddings/overrides/isolates,
// and the Unicode line/paragraph separators that some terminals treat as line breaks.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0x09) return ' '; // a tab's width depends on the terminal: one space keeps columns right
  if (code < 0x20) return String.fromCharCode(CONTROL_PICTURES_BASE + code);
  if (code === 0x7f) return '\u2421'; // ␡
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Text safe to hand to Ink: no byte of it is interpreted by the terminal. */
export function sanitizeForTerminal(text: string, options: SanitizeOptions = {}): string {
  const newlines = options.newlines ?? 'symbol';
  const safe = text.replace(UNSAFE, visible);
  if (newlines === 'keep') return safe;
  return safe.replace(/\n/g, newlines === 'symbol' ? '\u21b5' : ' ');
}

/** One plain log line (non-TTY, CI, stderr): sanitized and folded onto a single line. */
export function sanitizeLogLine(text: string): string {
  return sanitizeForTerminal(text, { newlines: 'symbol' });
}
