/**
 * Escaping for text that comes from datasets, configs and model paths. Reports are pasted into
 * release notes and rendered by GitHub and Hugging Face, so a benchmark row must never be able to
 * end a table cell, open a code span, inject HTML, or move a terminal cursor with ANSI sequences.
 */

import { visibleControls } from '../util/text.js';

export { visibleControls };

/** One line of plain text: line breaks and tabs become spaces, controls become visible. */
export function plainText(text: string): string {
  return visibleControls(text.replace(/\r\n|[\r\n\t\u2028\u2029\u0085]/g, ' '));
}

/**
 * Escapes text for one GitHub-flavoured Markdown table cell. Backslash first (so a trailing "\" cannot
 * swallow our "\|"), then the characters that end a cell, open code spans, emphasis or links, then
 * HTML. Escaping & always is harmless: "&amp;" renders as "&" and defuses entities like "&lt;".
 */
export function escapeCell(text: string): string {
  return plainText(text)
    .replace(/\\/g, '\\\\')
    .replace(/[|`*_[\]~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Escapes text for SVG/XML content or a quoted attribute; XML 1.0 forbids most C0 characters outright. */
export function escapeXml(text: string): string {
  return plainText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** A fenced code block that no backtick run inside the text can close early. */
export function codeBlock(text: string, lang = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${visibleControls(text.replace(/\r/g, '\u240D'))}\n${fence}`;
}

export { truncate } from '../util/text.js';

/** A safe file name for a benchmark's chart: keeps letters, digits, dot, dash and underscore. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+|-+$/g, '');
  return cleaned.length > 0 ? cleaned.slice(0, 100) : 'benchmark';
}
