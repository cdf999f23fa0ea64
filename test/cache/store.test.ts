import { appendFileSync, chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cacheKey } from '../../src/cache/key.js';
import { openCache } from '../../src/cache/store.js';

interface Payload {
  readonly id: string;
  readonly ranks: Record<string, number>;
}

const settings = { models: { target: 'sha256:aa', reference: 'sha256:bb' }, mode: 'fixed', seed: 0 };
const key = (i: number) => cacheKey(settings, { textHash: `h${i}` });
const payload = (i: number): Payload => ({ id: `arc/test/${i}`, ranks: { loss: i / 100 } });
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'contam-cache-'));
});

function fill(n: number): string {
  const cache = openCache<Payload>(dir);
  for (let i = 0; i < n; i++) cache.put(key(i), payload(i));
  cache.close();
  return join(dir, 'v1', `${key(0).audit}.jsonl`);
}

describe('openCache', () => {
  it('round-trips values and counts hits and misses', () => {
    const cache = openCache<Payload>(dir);
    expect(cache.get(key(1))).toBeUndefined();
    cache.put(key(1), payload(1));
    expect(cache.get(key(1))).toEqual(payload(1));
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, corruptLines: 0 });
    cache.close();
  });

  it('resumes after reopening: a killed run keeps every record it appended', () => {
    const file = fill(3);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
    const cache = openCache<Payload>(dir);
    expect([0, 1, 2, 3].map((i) => cache.get(key(i)))).toEqual([payload(0), payload(1), payload(2), undefined]);
    expect(cache.stats()).toEqual({ hits: 3, misses: 1, corruptLines: 0 });
  });

  it('ignores and counts a garbage line and a line cut mid-way, clears them, then appends cleanly after them', () => {
    const file = fill(3);
    const good = readFileSync(file, 'utf8');
    appendFileSync(file, 'not json at all\n');
    const full = JSON.stringify({ k: key(9).sample, v: payload(9) });
    const cut = full.slice(0, full.length - 7); // killed mid-write: no closing brace, no newline
    appendFileSync(file, cut);

    const cache = openCache<Payload>(dir);
    expect(cache.get(key(9))).toBeUndefined();
    expect([0, 1, 2].map((i) => cache.get(key(i)))).toEqual([payload(0), payload(1), payload(2)]);
    expect(cache.stats().corruptLines).toBe(2);
    expect(cache.warnings()).toEqual([`cache file ${file}: 2 damaged line(s) ignored and cleared (first at line 4); those samples will be recomputed`]);
    // Blanked in place, byte for byte; the cut line got its newline: records keep their offsets.
    expect(readFileSync(file, 'utf8')).toBe(`${good}${' '.repeat('not json at all'.length)}\n${' '.repeat(cut.length)}\n`);
    cache.put(key(9), payload(9)); // the recomputed sample
    cache.close();

    // Warned once: the next open finds nothing damaged and everything cached.
    const again = openCache<Payload>(dir);
    expect([0, 1, 2, 9].map((i) => again.get(key(i)))).toEqual([payload(0), payload(1), payload(2), payload(9)]);
    expect(again.stats()).toEqual({ hits: 4, misses: 0, corruptLines: 0 });
    expect(again.warnings()).toEqual([]);
    expect(again.info().corruptLines).toBe(0);
  });

  it.skipIf(process.getuid?.() === 0)(`a read-only cache file with damaged lines is read, warned about, and left unchanged${process.getuid?.() === 0 ? ' (skipped: root writes through a read-only mode)' : ''}`, () => {
    const file = fill(2);
    appendFileSync(file, 'garbage\n');
    const before = readFileSync(file, 'utf8');
    chmodSync(file, 0o444);
    try {
      const cache = openCache<Payload>(dir);
      expect(cache.get(key(1))).toEqual(payload(1));
      expect(cache.stats().corruptLines).toBe(1);
      expect(readFileSync(file, 'utf8')).toBe(before);
    } finally {
      chmodSync(file, 0o644);
    }
  });

  it('keeps separate files per audit key', () => {
    const cache = openCache<Payload>(dir);
    cache.put(key(1), payload(1));
    const fp32 = cacheKey({ ...settings, dtype: 'fp32' }, { textHash: 'h1' });
    expect(cache.get(fp32)).toBeUndefined();
    cache.put(fp32, payload(2));
    cache.close();
    expect(readdirSync(join(dir, 'v1')).sort()).toEqual([`${key(1).audit}.jsonl`, `${fp32.audit}.jsonl`].sort());
  });

  it('reports info and clears only its own files', () => {
    const file = fill(4);
    writeFileSync(join(dir, 'v1', 'notes.txt'), 'user file');
    const cache = openCache<Payload>(dir);
    const bytes = readFileSync(file).length;
    expect(cache.info()).toEqual({ dir, files: 1, records: 4, bytes, corruptLines: 0 });
    expect(cache.clear()).toEqual({ files: 1, bytes });
    expect(readdirSync(join(dir, 'v1'))).toEqual(['notes.txt']);
    expect(cache.get(key(0))).toBeUndefined();
    expect(cache.info()).toEqual({ dir, files: 0, records: 0, bytes: 0, corruptLines: 0 });
  });

  it('never throws when the cache cannot be written: it warns and the run goes on', () => {
    const cache = openCache<Payload>('/dev/null/contam');
    expect(() => cache.put(key(1), payload(1))).not.toThrow();
    expect(cache.get(key(1))).toEqual(payload(1));
    expect(cache.warnings()).toHaveLength(1);
    expect(cache.warnings()[0]).toMatch(/^cache: cannot write to \/dev\/null\/contam\/v1: ENOTDIR/);
  });
});
