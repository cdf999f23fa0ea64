/**
 * samples.jsonl: one SampleRecord per line, as MIMIR keeps raw per-sample lists, so any number in
 * results.json can be recomputed from it. JSON.stringify already escapes \n and \r inside strings;
 * U+2028/U+2029 are escaped too because some line readers (Python's str.splitlines) break on them.
 */
import type { SampleRecord } from '../audit/types.js';
import { orderKeys } from './json.js';

export function sampleLine(sample: SampleRecord): string {
  return `${JSON.stringify(orderKeys(sample)).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}\n`;
}

/** Lines one at a time, so a large run is written in chunks instead of one huge string. */
export function* samplesJsonl(samples: Iterable<SampleRecord>): Generator<string> {
  for (const sample of samples) yield sampleLine(sample);
}
