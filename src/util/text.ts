/** Text and time formatting shared by the dashboard, the plain log and the reports. */

/**
 * Cuts to `width` code points (not UTF-16 units) with an ellipsis. The default, 200, is how much of a
 * dataset-derived message (an error, a note) a report cell keeps.
 */
export function truncate(text: string, width = 200): string {
  if (width <= 0) return '';
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
}

/**
 * The one sanitiser for untrusted text (dataset rows, model continuations, file names, messages),
 * shared by the dashboard, the plain log and the reports. Control characters are made visible and
 * inert rather than deleted, so a reader sees that the data holds them: C0 controls as Unicode
 * Control Pictures (ESC becomes ␛, so an ANSI colour code reads "␛[31m"), DEL as ␡, C1 controls,
 * bidi marks, embeddings, overrides and isolates ("Trojan Source") and the Unicode line and paragraph
 * separators as `U+XXXX`. Tab, CR and LF are left to the caller, which decides whether they are
 * spaces, symbols or line breaks.
 */
export function visibleControls(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
    .replace(/\u007F/g, '\u2421')
    .replace(/[\u0080-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/g, codePoint);
}

function codePoint(c: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Milliseconds -> "850ms", "42s", "3m05s", "1h02m": the dashboard, the log and the reports alike. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** p-values span many orders of magnitude: fixed notation hides 1e-12 as 0.000. */
export function pValue(p: number): string {
  if (!Number.isFinite(p)) return 'n/a';
  if (p < 0.0001) return '< 0.0001';
  return p < 0.01 ? p.toFixed(4) : p.toFixed(3);
}

/** A difference of shares, signed: +0.40, −0.03, ±0.00. */
export function signed(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${Math.abs(value).toFixed(2)}`;
}
