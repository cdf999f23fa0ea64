/**
 * Atomic report writes: content goes to `<file>.tmp-<pid>`, is flushed, then renamed over the final
 * name, so a reader (or CI artefact upload) never sees half a report as if it were complete. On any
 * failure the temp file is removed and one FatalError names the final path and a plain reason.
 */
import { closeSync, existsSync, fsyncSync, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FatalError, errorMessage } from '../errors.js';
import { makeDirs } from '../util/make-dirs.js';

/** The file-system calls a report write needs; tests inject failing ones (ENOSPC mid-way). */
export interface ReportIo {
  mkdirp(dir: string): void;
  /** Creates or truncates `path` and writes the chunks in order. */
  writeChunks(path: string, chunks: Iterable<string>): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
}

export const nodeIo: ReportIo = {
  mkdirp: (dir) => makeDirs(dir),
  writeChunks(path, chunks) {
    const fd = openSync(path, 'w');
    try {
      for (const chunk of chunks) {
        const bytes = Buffer.from(chunk, 'utf8');
        // writeSync may write fewer bytes than asked; loop until the chunk is out.
        for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      }
      // The rename publishes the file: flush first so a crash cannot publish an empty one.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
};

const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  // mkdir -p reports EEXIST when a part of the path exists as a file.
  EEXIST: 'a part of the path is a file, not a folder',
  EISDIR: 'the path is a folder',
  ENOENT: 'a folder in the path does not exist',
  ENAMETOOLONG: 'the name is too long',
};

export function writeFailure(path: string, error: unknown): FatalError {
  const e = error as NodeJS.ErrnoException | null;
  const code = e?.code;
  let reason = (code && REASONS[code]) ? `${REASONS[code]} (${code})` : errorMessage(error);
  // mkdir answers ENOENT in a folder that exists but takes no new folders (/proc, /sys).
  if (code === 'ENOENT' && e?.syscall === 'mkdir' && e.path && existsSync(dirname(e.path))) reason = `${dirname(e.path)} takes no new folders (ENOENT)`;
  return new FatalError(`cannot write report to ${path}: ${reason}`);
}

export function writeFileAtomic(path: string, content: string | Iterable<string>, io: ReportIo = nodeIo): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    io.mkdirp(dirname(path));
  } catch (error) {
    throw writeFailure(path, error);
  }
  try {
    io.writeChunks(tmp, typeof content === 'string' ? [content] : content);
    io.rename(tmp, path);
  } catch (error) {
    try {
      io.unlink(tmp);
    } catch {
      // Nothing to remove (open failed) or the folder is gone: either way no partial file remains.
    }
    throw writeFailure(path, error);
  }
}

/**
 * Checks before a long audit that a folder can be created and written, so an unwritable output path
 * fails in a second rather than after hours of scoring. Leaves the folder, removes the probe file.
 */
export function probeWritable(dir: string): void {
  const probe = join(dir, `.contam-probe-${process.pid}`);
  try {
    makeDirs(dir);
    writeFileSync(probe, '');
    unlinkSync(probe);
  } catch (error) {
    throw writeFailure(dir, error);
  }
}
