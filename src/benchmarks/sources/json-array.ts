import { readFile } from 'node:fs/promises';
import { FatalError } from '../../errors.js';
import type { SourceRow } from '../types.js';
import { describeValue } from './describe-value.js';
import { readJsonl } from './jsonl.js';
import { sniff, wrongFormat } from './sniff.js';
import { invalidUtf8Line } from './utf8.js';

/**
 * A `.json` file: a JSON array of objects (TruthfulQA's mc_task.json), read whole because
 * an array cannot be parsed in pieces without a streaming JSON parser. Hugging Face also
 * writes JSON Lines under a `.json` name, so a file starting with `{` is read as JSON Lines.
 * Location is the 0-based element index (`row`).
 */
export async function* readJsonArray(path: string, display: string, firstIndex = 0): AsyncGenerator<SourceRow> {
  const found = await sniff(path);
  if (found.kind === 'json-object') {
    yield* readJsonl(path, display, firstIndex);
    return;
  }
  if (found.kind !== 'json-array') throw wrongFormat(display, 'a JSON array of objects', found);
  let items: unknown;
  try {
    const bytes = await readFile(path);
    const bad = invalidUtf8Line(bytes);
    if (bad !== undefined) throw new FatalError(`${display}: expected UTF-8 text, found invalid UTF-8 bytes on line ${bad}`);
    items = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    if (error instanceof FatalError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new FatalError(`${display}: expected a JSON array of objects, found invalid JSON (${why})`);
  }
  if (!Array.isArray(items)) throw new FatalError(`${display}: expected a JSON array of objects, found ${describeValue(items)}`);
  let index = firstIndex;
  for (const [row, value] of items.entries()) {
    const location = { file: display, row };
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { row: {}, location, index: index++, problem: `expected a JSON object, found ${describeValue(value)}` };
    } else {
      yield { row: value as Record<string, unknown>, location, index: index++ };
    }
  }
}
