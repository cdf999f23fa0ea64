/**
 * The per-sample result cache: append-only JSONL, one file per audit key (`<dir>/v1/<audit>.jsonl`),
 * one record `{"k": <sample key>, "v": <payload>}` per line. Each record is one write() of one whole
 * line on an O_APPEND descriptor, so a killed run keeps every finished sample and two processes
 * appending to the same file never interleave. Lines cut by a kill or otherwise damaged are skipped,
 * counted, reported once and blanked in place (loadAndRepair), and their samples are simply
 * recomputed. Failures are never put: the caller only caches finished samples.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, readdirSync, rmdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
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
  /** Byte ranges of the damaged lines, newline excluded. */
  readonly damaged: readonly { readonly start: number; readonly end: number }[];
}

function recordOf(line: string): { k: string; v: unknown } | undefined {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return undefined;
  }
  const r = record as { k?: unknown; v?: unknown } | null;
  return typeof r === 'object' && r !== null && !Array.isArray(r) && typeof r.k === 'string' && 'v' in r ? (r as { k: string; v: unknown }) : undefined;
}

/** Parses a cache file; a line that is cut, not JSON, or not a `{k, v}` record counts as corrupt. */
export function parseCacheFile(content: string | Buffer): Loaded {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const records = new Map<string, unknown>();
  const damaged: { start: number; end: number }[] = [];
  let firstCorruptLine = 0;
  // Split on the newline byte (never part of a UTF-8 sequence), so damaged lines keep their byte offsets.
  for (let start = 0, line = 1; start < bytes.length; line++) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    const text = bytes.toString('utf8', start, end);
    if (text.trim() !== '') {
      const record = recordOf(text);
      if (record) records.set(record.k, record.v);
      else {
        damaged.push({ start, end });
        firstCorruptLine ||= line;
      }
    }
    start = end + 1;
  }
  return { records, corrupt: damaged.length, firstCorruptLine, damaged };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function readAll(fd: number): Buffer {
  const bytes = Buffer.alloc(fstatSync(fd).size);
  for (let off = 0; off < bytes.length; ) {
    const n = readSync(fd, bytes, off, bytes.length - off, off);
    if (n === 0) return bytes.subarray(0, off);
    off += n;
  }
  return bytes;
}

/**
 * A cache file's bytes. A last line without its newline was either cut by a kill or is being
 * appended by another process at this moment (a reader can see a write of several KB half done):
 * the file is read again after a few ms while it still grows, so a line in flight is not reported
 * as damaged.
 */
function readSettled(fd: number): Buffer {
  let bytes = readAll(fd);
  for (let tries = 0; tries < 5 && bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a; tries++) {
    Atomics.wait(pause, 0, 0, 10);
    const again = readAll(fd);
    if (again.length === bytes.length) break;
    bytes = again;
  }
  return bytes;
}

/**
 * Reads a cache file and clears its damaged lines, so they are reported by one run, not by every
 * run after it. Damaged bytes are overwritten with spaces in place (a blank line is skipped), through
 * the descriptor they were read from: other processes only ever append at the end, with O_APPEND,
 * so they are never disturbed, and at every moment each line is a whole record or ignorable. A
 * rewrite-and-rename would shrink the file but orphan the inode their open descriptors still
 * append to, losing their records. A read-only cache is only read.
 */
function loadAndRepair(file: string): Loaded {
  let fd: number;
  let repairable = true;
  try {
    fd = openSync(file, 'r+');
  } catch {
    fd = openSync(file, 'r');
    repairable = false;
  }
  try {
    const bytes = readSettled(fd);
    const parsed = parseCacheFile(bytes);
    if (repairable && parsed.damaged.length > 0) {
      try {
        for (const { start, end } of parsed.damaged.filter((d) => d.end < bytes.length || isDeadLastLine(file, fd, d.end))) {
          writeSync(fd, Buffer.alloc(end - start, 0x20), 0, end - start, start);
        }
      } catch {
        // Left as it was: the next run warns again, nothing else changes.
      }
    }
    return parsed;
  } finally {
    closeSync(fd);
  }
}

/**
 * A last line without its newline may be a kill's leftover or another process's record still being
 * written (readers can see part of it). An O_APPEND newline lands after any write in flight, so the
 * line was dead exactly when the newline lands at its end; only then may it be blanked.
 */
function isDeadLastLine(file: string, fd: number, end: number): boolean {
  appendFileSync(file, '\n');
  const at = Buffer.alloc(1);
  return readSync(fd, at, 0, 1, end) === 1 && at[0] === 0x0a;
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
    const parsed = existsSync(file) ? loadAndRepair(file) : parseCacheFile('');
    if (parsed.corrupt > 0) {
      corruptLines += parsed.corrupt;
      messages.push(`cache file ${file}: ${parsed.corrupt} damaged line(s) ignored and cleared (first at line ${parsed.firstCorruptLine}); those samples will be recomputed`);
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
        const parsed = parseCacheFile(readFileSync(path));
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
