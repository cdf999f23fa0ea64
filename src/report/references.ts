/**
 * Published contamination numbers of other models (references/published.json), cited in report.md
 * beside an audit and always labelled as other models' results. The numbers are the SOLAR-card
 * statistic "result < 0.1, %" (detection-methods.md §1.4, §8): kept as data so a new card is an edit
 * to a JSON file, not to code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FatalError, errorMessage } from '../errors.js';

/** A number, or why a card has none: the tool did not support the benchmark, or the card did not say. */
export type PublishedValue = number | 'not-supported' | 'not-reported';

export interface PublishedModel {
  readonly model: string;
  /** The model that wrote the neighbours; null when the card does not say. */
  readonly referenceModel: string | null;
  /** "control" marks a presumed-clean base model published for comparison. */
  readonly role: 'release' | 'control';
  readonly source: string;
  readonly url: string;
  readonly note: string;
  readonly results: Readonly<Record<string, PublishedValue>>;
}

export interface PublishedReferences {
  readonly schemaVersion: 1;
  readonly statistic: string;
  readonly tool: string;
  readonly description: string;
  /** Benchmark keys (task names) in column order. */
  readonly benchmarks: readonly string[];
  readonly models: readonly PublishedModel[];
}

/** Resolves to <package>/references/published.json from both src/report and dist/report. */
export const defaultReferencesPath = fileURLToPath(new URL('../../references/published.json', import.meta.url));

export function loadPublishedReferences(path: string = defaultReferencesPath): PublishedReferences {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FatalError(`cannot read published references ${path}: ${errorMessage(error)}`);
  }
  return parsePublishedReferences(raw, path);
}

/** Validates the file's shape; errors name the file, the field, what was found and what was expected. */
export function parsePublishedReferences(raw: unknown, file: string): PublishedReferences {
  const fail = (field: string, found: unknown, expected: string): never => {
    throw new FatalError(`${file}: field ${field} is ${JSON.stringify(found)}, expected ${expected}`);
  };
  const root = isObject(raw) ? raw : fail('(root)', raw, 'an object');
  if (root.schemaVersion !== 1) fail('schemaVersion', root.schemaVersion, '1');
  for (const key of ['statistic', 'tool', 'description'] as const) {
    if (typeof root[key] !== 'string') fail(key, root[key], 'a string');
  }
  const benchmarks = root.benchmarks;
  if (!Array.isArray(benchmarks) || !benchmarks.every((b) => typeof b === 'string')) {
    fail('benchmarks', benchmarks, 'an array of benchmark names');
  }
  if (!Array.isArray(root.models)) fail('models', root.models, 'an array');
  (root.models as unknown[]).forEach((m, i) => {
    const at = `models[${i}]`;
    if (!isObject(m)) return fail(at, m, 'an object');
    for (const key of ['model', 'source', 'url', 'note'] as const) {
      if (typeof m[key] !== 'string') fail(`${at}.${key}`, m[key], 'a string');
    }
    if (m.referenceModel !== null && typeof m.referenceModel !== 'string') {
      fail(`${at}.referenceModel`, m.referenceModel, 'a string or null');
    }
    if (m.role !== 'release' && m.role !== 'control') fail(`${at}.role`, m.role, '"release" or "control"');
    if (!isObject(m.results)) return fail(`${at}.results`, m.results, 'an object');
    for (const [bench, value] of Object.entries(m.results)) {
      const ok = (typeof value === 'number' && value >= 0 && value <= 1) || value === 'not-supported' || value === 'not-reported';
      if (!ok) fail(`${at}.results.${bench}`, value, 'a number in [0, 1], "not-supported" or "not-reported"');
    }
  });
  return raw as PublishedReferences;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
