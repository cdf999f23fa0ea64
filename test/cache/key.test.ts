import { describe, expect, it } from 'vitest';
import { resolveCacheDir } from '../../src/cache/dir.js';
import { cacheKey, canonicalJson } from '../../src/cache/key.js';

const settings = {
  models: { target: 'sha256:aa', reference: 'sha256:bb' },
  dtype: 'q8',
  detectors: [{ id: 'min-k', version: 1, params: { k: 0.2 } }],
  mode: 'fixed',
  seed: 0,
  neighbours: { count: 100, prefixRatio: 0.4 },
};

describe('cache keys', () => {
  it('canonical JSON sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: -0 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":0,"z":0}]},"b":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow('cache key: non-finite number NaN');
  });

  it('ignores key order but changes with anything that changes a number', () => {
    const key = cacheKey(settings, { textHash: 'h1' });
    expect(cacheKey({ ...settings, seed: 0, mode: 'fixed' }, { textHash: 'h1' })).toEqual(key);
    expect(key.audit).toMatch(/^[0-9a-f]{64}$/);
    const other = cacheKey({ ...settings, dtype: 'fp32' }, { textHash: 'h1' });
    expect(other.audit).not.toBe(key.audit);
    expect(other.sample).not.toBe(key.sample);
    const nextSample = cacheKey(settings, { textHash: 'h2' });
    expect(nextSample.audit).toBe(key.audit);
    expect(nextSample.sample).not.toBe(key.sample);
  });
});

describe('resolveCacheDir', () => {
  it('prefers --cache-dir, then CONTAM_CACHE_DIR, then an absolute XDG_CACHE_HOME, then ~/.cache', () => {
    const env = { CONTAM_CACHE_DIR: '/env/contam', XDG_CACHE_HOME: '/xdg' };
    expect(resolveCacheDir({ override: '/flag', env, home: '/home/u' })).toBe('/flag');
    expect(resolveCacheDir({ env, home: '/home/u' })).toBe('/env/contam');
    expect(resolveCacheDir({ env: { XDG_CACHE_HOME: '/xdg' }, home: '/home/u' })).toBe('/xdg/contam');
    expect(resolveCacheDir({ env: { XDG_CACHE_HOME: 'relative' }, home: '/home/u' })).toBe('/home/u/.cache/contam');
    expect(resolveCacheDir({ env: {}, home: '/home/u' })).toBe('/home/u/.cache/contam');
  });
});
