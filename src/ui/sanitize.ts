/**
 * Makes untrusted text (dataset rows, model continuations, file names, error messages) safe to
 * print. A benchmark row can carry `ESC [2J`, an OSC 8 hyperlink or an OSC 0 title change; printed
 * raw, it would clear the screen, retitle the terminal or break Ink's frame. Rather than deleting
 * such bytes (which would hide that the data contains them), every control character becomes a
 * visible stand-in: C0 controls become their Unicode Control Pictures (ESC -> ␛, BEL -> ␇,
 * BS -> ␈, CR -> ␍), DEL becomes ␡, C1 controls, bidi marks and overrides become `U+009B`-style
 * text, exactly as in the reports (util/text.ts visibleControls is the one sanitiser). With ESC itself
 * replaced, the rest of any escape sequence is inert text (`␛[31m`).
 */
import { visibleControls } from '../util/text.js';

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

/** Text safe to hand to Ink: no byte of it is interpreted by the terminal. */
export function sanitizeForTerminal(text: string, options: SanitizeOptions = {}): string {
  const newlines = options.newlines ?? 'symbol';
  // A tab's width depends on the terminal: one space keeps columns right. CR would return the cursor.
  const safe = visibleControls(text.replace(/\t/g, ' ').replace(/\r/g, '\u240d'));
  if (newlines === 'keep') return safe;
  return safe.replace(/\n/g, newlines === 'symbol' ? '\u21b5' : ' ');
}

/** One plain log line (non-TTY, CI, stderr): sanitized and folded onto a single line. */
export function sanitizeLogLine(text: string): string {
  return sanitizeForTerminal(text, { newlines: 'symbol' });
}
