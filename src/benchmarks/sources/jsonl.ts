import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { SourceRow } from '../types.js';
import { describeValue, preview } from './describe-value.js';
import { sniff, wrongFormat } from './sniff.js';

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
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  let index = firstIndex;
  for await (const raw of lines) {
    line += 1;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    const location = { file: display, line };
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
