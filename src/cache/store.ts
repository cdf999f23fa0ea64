/**
 * The per-sample result cache: append-only JSONL, one file per audit key (`<dir>/v1/<audit>.jsonl`),
 * one record `{"k": <sample key>, "v": <payload>}` per line. Each record is one write() of one whole
 * line on an O_APPEND descriptor, so a killed run keeps every finished sample and two processes
 * appending to the same file never interleave. Lines cut by a kill or otherwise damaged are skipped,
 * counted and reported, and their samples are simply recomputed. Failures are never put: the caller
 * only caches finished samples.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../errors.js';
import { CACHE_FORMAT, type CacheKey } from './key.js';
import { makeDirs } from '../util/make-dirs.js';

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly corruptLines: number;
}

export interface CacheInfo {
  readonly dir: string;
  readonly files: number;
  readonly records: number;
  readonly bytes: number;
  readonly corruptLines: number;
}

export interface ResultCache<V> {
  readonly dir: string;
  get(key: CacheKey): V | undefined;
  /** Never throws: a cache that cannot be written only costs recomputation, so it warns instead. */
  put(key: CacheKey, value: V): void;
  stats(): CacheStats;
  /** Human-readable messages about damaged lines or failed writes, for the audit's warning events. */
  warnings(): readonly string[];
  /** For `contam cache info`: every audit file in the folder, not only those this run touched. */
  info(): CacheInfo;
  /** For `contam cache clear`: removes only this cache's own files, never anything else in the folder. */
  clear(): { readonly files: number; readonly bytes: number };
  close(): void;
}

const FILE = /^[0-9a-f]{64}\.jsonl$/;

interface Loaded {
  readonly records: Map<string, unknown>;
  readonly corrupt: number;
  readonly firstCorruptLine: number;
}

/** Parses a cache file; a line that is cut, not JSON, or not a `{k, v}` record counts as corrupt. */
export function parseCacheFile(text: string): Loaded {
  const records = new Map<string, unknown>();
  let corrupt = 0;
  let firstCorruptLine = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      record = undefined;
    }
    const r = record as { k?: unknown; v?: unknown } | null;
    if (typeof r === 'object' && r !== null && !Array.isArray(r) && typeof r.k === 'string' && 'v' in r) {
      records.set(r.k, r.v);
    } else {
      corrupt += 1;
      firstCorruptLine ||= i + 1;
    }
  });
  return { records, corrupt, firstCorruptLine };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A cache file's text. A last line without its newline was either cut by a kill or is being
 * appended by another process at this moment (a reader can see a write of several KB half done):
 * the file is read again after a few ms while it still grows, so a line in flight is not reported
 * as damaged.
 */
function readSettled(file: string): string {
  let text = readFileSync(file, 'utf8');
  for (let tries = 0; tries < 5 && text.length > 0 && !text.endsWith('\n'); tries++) {
    Atomics.wait(pause, 0, 0, 10);
    const again = readFileSync(file, 'utf8');
    if (again.length === text.length) break;
    text = again;
  }
  return text;
}

export function openCache<V = unknown>(dir: string): ResultCache<V> {
  const root = join(dir, `v${CACHE_FORMAT}`);
  const loaded = new Map<string, Map<string, unknown>>();
  const fds = new Map<string, number>();
  const messages: string[] = [];
  let hits = 0;
  let misses = 0;
  let corruptLines = 0;
  let writable = true;

  const fileOf = (audit: string): string => join(root, `${audit}.jsonl`);

  const load = (audit: string): Map<string, unknown> => {
    let records = loaded.get(audit);
    if (records) return records;
    const file = fileOf(audit);
    const parsed = existsSync(file) ? parseCacheFile(readSettled(file)) : { records: new Map(), corrupt: 0, firstCorruptLine: 0 };
    if (parsed.corrupt > 0) {
      corruptLines += parsed.corrupt;
      messages.push(`cache file ${file}: ${parsed.corrupt} damaged line(s) ignored (first at line ${parsed.firstCorruptLine}); those samples will be recomputed`);
    }
    records = parsed.records;
    loaded.set(audit, records);
    return records;
  };

  /** Opens for append; if a killed run left a line without its newline, ends it so our records start clean. */
  const appendFd = (audit: string): number => {
    let fd = fds.get(audit);
    if (fd !== undefined) return fd;
    makeDirs(root);
    fd = openSync(fileOf(audit), 'a+');
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(fd, '\n');
    }
    fds.set(audit, fd);
    return fd;
  };

  const closeAll = (): void => {
    for (const fd of fds.values()) closeSync(fd);
    fds.clear();
  };

  return {
    dir,
    get(key) {
      const records = load(key.audit);
      if (records.has(key.sample)) {
        hits += 1;
        return records.get(key.sample) as V;
      }
      misses += 1;
      return undefined;
    },
    put(key, value) {
      const records = load(key.audit);
      records.set(key.sample, value);
      if (!writable) return;
      try {
        const line = Buffer.from(`${JSON.stringify({ k: key.sample, v: value })}\n`, 'utf8');
        const fd = appendFd(key.audit);
        // One write() of the whole line: with O_APPEND the kernel places it atomically at the end.
        const written = writeSync(fd, line);
        if (written !== line.length) {
          writeSync(fd, '\n'); // end the cut line so it is one damaged record, not two
          throw new Error(`short write (${written} of ${line.length} bytes)`);
        }
      } catch (error) {
        writable = false;
        messages.push(`cache: cannot write to ${root}: ${errorMessage(error)}; results are no longer cached in this run`);
      }
    },
    stats: () => ({ hits, misses, corruptLines }),
    warnings: () => [...messages],
    info() {
      const files = existsSync(root) ? readdirSync(root).filter((f) => FILE.test(f)) : [];
      let records = 0;
      let bytes = 0;
      let corrupt = 0;
      for (const f of files) {
        const path = join(root, f);
        bytes += statSync(path).size;
        const parsed = parseCacheFile(readFileSync(path, 'utf8'));
        records += parsed.records.size;
        corrupt += parsed.corrupt;
      }
      return { dir, files: files.length, records, bytes, corruptLines: corrupt };
    },
    clear() {
      closeAll();
      loaded.clear();
      const files = existsSync(root) ? readdirSync(root).filter((f) => FILE.test(f)) : [];
      let bytes = 0;
      for (const f of files) {
        const path = join(root, f);
        bytes += statSync(path).size;
        unlinkSync(path);
      }
      try {
        rmdirSync(root); // only if empty: anything else a user put there stays
      } catch {
        // not empty or already gone
      }
      return { files: files.length, bytes };
    },
    close: closeAll,
  };
}
