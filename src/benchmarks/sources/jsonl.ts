import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { SourceRow } from '../types.js';
import { describeValue, preview } from './describe-value.js';
import { sniff, wrongFormat } from './sniff.js';
import { byteLines } from './utf8.js';

/**
 * JSON Lines, streamed line by line so a multi-gigabyte dump never sits in memory.
 * Blank lines are not rows (editors add them at the end); a line that does not parse
 * is a row with a `problem`, counted like any invalid row.
 */
export async function* readJsonl(path: string, display: string, firstIndex = 0): AsyncGenerator<SourceRow> {
  const found = await sniff(path);
  if (found.kind !== 'json-object' && found.kind !== 'empty') {
    throw wrongFormat(display, 'JSON Lines (one JSON object per line)', found);
  }
  let line = 0;
  let index = firstIndex;
  // Lines are read as bytes so invalid UTF-8 is a problem row, not text silently full of U+FFFD.
  for await (const bytes of byteLines(createReadStream(path))) {
    line += 1;
    const location = { file: display, line };
    const decoded = bytes.toString('utf8').replace(/\r$/, '');
    if (!isUtf8(bytes)) {
      yield { row: {}, location, index: index++, problem: `expected UTF-8 text, found invalid UTF-8 bytes (shown as \uFFFD: ${JSON.stringify(preview(decoded))})` };
      continue;
    }
    const text = line === 1 ? decoded.replace(/^\uFEFF/, '') : decoded;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      yield { row: {}, location, index: index++, problem: `expected a JSON object, found invalid JSON ${JSON.stringify(preview(text))} (${why})` };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { row: {}, location, index: index++, problem: `expected a JSON object, found ${describeValue(value)}` };
      continue;
    }
    yield { row: value as Record<string, unknown>, location, index: index++ };
  }
}
