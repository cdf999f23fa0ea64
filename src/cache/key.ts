/**
 * Cache keys. A cached number is reused only when everything that could change it is equal, so the
 * key hashes a canonical JSON of the caller's settings (model fingerprints, dtype, detector ids,
 * versions and params, mode, seed, neighbour settings...). Canonical: object keys sorted at every
 * depth, so `{a, b}` and `{b, a}` hash alike; lm-evaluation-harness once omitted the model from its
 * key, which is the failure this guards against by making the caller pass everything explicitly.
 */
import { sha256 } from '../util/hash.js';

/** Bumped when the record payload changes meaning, so old files are never read as new ones. */
export const CACHE_FORMAT = 1;

export interface CacheKey {
  /** Hash of the run's settings without the sample: names the JSONL file that holds its records. */
  readonly audit: string;
  /** Hash of the settings plus the sample's identity (text hash etc.): the record key. */
  readonly sample: string;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    // NaN and Infinity would serialise as null and collide with a real null: a caller bug, not a key.
    if (!Number.isFinite(value)) throw new TypeError(`cache key: non-finite number ${value}`);
    return JSON.stringify(value === 0 ? 0 : value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`cache key: cannot hash a ${typeof value}`);
}


/**
 * `settings`: everything about the run that changes a number; `sample`: what identifies the sample's
 * input (at least its text hash). Returns both hashes; pass the result to get/put.
 */
export function cacheKey(settings: Readonly<Record<string, unknown>>, sample: Readonly<Record<string, unknown>>): CacheKey {
  const audit = sha256(canonicalJson({ cacheFormat: CACHE_FORMAT, settings }));
  return { audit, sample: sha256(canonicalJson({ audit, sample })) };
}
