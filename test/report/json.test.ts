import { describe, expect, it } from 'vitest';
import { orderKeys, resultsJson } from '../../src/report/json.js';
import { sampleLine } from '../../src/report/jsonl.js';
import { fixtureResults, fixtureSamples } from './fixture-results.js';

/** The same object with keys inserted in reverse order at every depth. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
}

describe('resultsJson', () => {
  it('is independent of how the object was built: contract order, then alphabetical', () => {
    expect(resultsJson(reversed(fixtureResults) as typeof fixtureResults)).toBe(resultsJson(fixtureResults));
    const parsed = JSON.parse(resultsJson(fixtureResults));
    expect(Object.keys(parsed)).toEqual([
      'schemaVersion', 'tool', 'partial', 'startedAt', 'finishedAt', 'durationMs', 'command', 'config', 'models', 'benchmarks', 'modelCalls', 'notes',
    ]);
    expect(Object.keys(parsed.benchmarks[0].detectors[0]).slice(0, 4)).toEqual(['detector', 'contamination', 'interval', 'nullRate']);
    expect(Object.keys(orderKeys({ zeta: 1, alpha: 2, high: 3, low: 4 }) as object)).toEqual(['low', 'high', 'alpha', 'zeta']);
    const custom = parsed.benchmarks[2];
    expect(Object.keys(custom).slice(-3)).toEqual(['verdict', 'blindBaseline', 'notes']);
    expect(Object.keys(custom.blindBaseline)).toEqual(['auroc', 'interval', 'lengthAuroc', 'lengthInterval', 'members', 'nonMembers', 'folds', 'method', 'warning']);
  });
});

describe('sampleLine', () => {
  it('keeps one record on one line, even with newlines and U+2028 in the text', () => {
    const sample = { ...fixtureSamples(fixtureResults, 1)[0], text: 'a\nb\r\u2028c\u2029' };
    const line = sampleLine(sample);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(JSON.parse(line)).toEqual(sample);
    expect(line.startsWith('{"id":')).toBe(true);
  });
});
