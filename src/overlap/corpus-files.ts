/**
 * Turns `--corpus` arguments (files, folders, globs, Hugging Face dataset folders) into one sorted
 * list of files, so every run and every shard sees the same order. Folders are walked recursively
 * (symlinks followed: a hub-cache snapshot links its files to blobs); files in them of a format not
 * read are listed as skipped, while a file named outright in an unread format is an error.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { hfCorpusRoot, isHfDatasetFolder } from './hf-corpus.js';
import { join, relative, resolve, sep } from 'node:path';
import { FatalError } from '../errors.js';

export type CorpusFormat = 'jsonl' | 'text' | 'parquet';

export interface CorpusFile {
  /** Path as shown in reports: relative to the working folder when inside it. */
  readonly path: string;
  readonly format: CorpusFormat;
  readonly gzip: boolean;
  /** Zstandard-compressed (.zst, .zstd); optional so older callers that build files by hand still type-check. */
  readonly zstd?: boolean;
  readonly bytes: number;
}

const READ = 'expected .jsonl, .ndjson, .txt or .md (optionally .gz or .zst), .parquet, or a Hugging Face dataset folder';

/** The format of a file from its name, or why it cannot be read. */
export function formatOf(path: string): { format: CorpusFormat; gzip: boolean; zstd: boolean } | { unread: string } {
  const lower = path.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const zstd = lower.endsWith('.zst') || lower.endsWith('.zstd');
  const base = gzip ? lower.slice(0, -3) : zstd ? lower.slice(0, lower.lastIndexOf('.')) : lower;
  if (base.endsWith('.jsonl') || base.endsWith('.ndjson')) return { format: 'jsonl', gzip, zstd };
  if (base.endsWith('.txt') || base.endsWith('.md')) return { format: 'text', gzip, zstd };
  if (lower.endsWith('.parquet')) return { format: 'parquet', gzip: false, zstd: false };
  if (zstd) return { unread: 'a Zstandard file of an unknown format (expected .jsonl.zst or .txt.zst)' };
  return { unread: 'unknown corpus format' };
}

/** How a corpus file is described in "expected ..." messages. */
export function describeFormat(file: CorpusFile): string {
  const kind = file.format === 'jsonl' ? 'JSONL' : file.format === 'parquet' ? 'Parquet' : 'text';
  return `${file.gzip ? 'gzip-compressed ' : file.zstd ? 'Zstandard-compressed ' : ''}${kind}`;
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    // A symlink (hub-cache snapshots are made of them) counts as what it points to.
    const kind = entry.isSymbolicLink() && existsSync(full) ? statSync(full) : entry;
    if (kind.isDirectory()) walk(full, out);
    else if (kind.isFile()) out.push(full);
  }
}

/** `**` any folders, `*` and `?` within one path segment; everything else literal. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function display(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

export interface ExpandedCorpus {
  readonly files: readonly CorpusFile[];
  /** Files inside folders or globs left out because their format is not read yet. */
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
}

export function expandCorpus(args: readonly string[]): ExpandedCorpus {
  const found = new Map<string, CorpusFile>();
  const skipped: { path: string; reason: string }[] = [];
  const take = (full: string, named: boolean, dataOnly = false) => {
    const kind = formatOf(full);
    // A dataset folder's card (README.md) and scripts are not its data.
    if (dataOnly && !('unread' in kind) && kind.format === 'text') {
      skipped.push({ path: display(full), reason: 'not a data file of a Hugging Face dataset folder' });
      return;
    }
    if ('unread' in kind) {
      if (named) throw new FatalError(`--corpus ${full}: ${kind.unread}; ${READ}`);
      skipped.push({ path: display(full), reason: kind.unread });
      return;
    }
    found.set(full, { path: display(full), ...kind, bytes: statSync(full).size });
  };
  for (const arg of args) {
    if (/[*?]/.test(arg)) {
      const parts = arg.split(/[\\/]/);
      const fixed = parts.findIndex((p) => /[*?]/.test(p));
      const base = resolve(parts.slice(0, fixed).join('/') || '.');
      const pattern = globToRegExp(parts.slice(fixed).join('/'));
      const all: string[] = [];
      if (existsSync(base) && statSync(base).isDirectory()) walk(base, all);
      const matched = all.filter((f) => pattern.test(relative(base, f).split(sep).join('/')));
      if (matched.length === 0) throw new FatalError(`--corpus ${arg}: no file matches this pattern`);
      matched.forEach((f) => take(f, false));
      continue;
    }
    const full = hfCorpusRoot(arg);
    if (full === undefined) throw new FatalError(`--corpus ${arg}: expected a file, folder, glob or a dataset in the Hugging Face hub cache, found nothing at this path`);
    if (statSync(full).isDirectory()) {
      const all: string[] = [];
      walk(full, all);
      const dataOnly = isHfDatasetFolder(full);
      all.forEach((f) => take(f, false, dataOnly));
    } else take(full, true);
  }
  if (found.size === 0) {
    const why = skipped.length > 0 ? ` (${skipped.length} file(s) of formats not read yet, e.g. ${skipped[0].path}: ${skipped[0].reason})` : '';
    throw new FatalError(`--corpus ${args.join(' ')}: no corpus file found${why}; ${READ}`);
  }
  const files = [...found.keys()].sort().map((k) => found.get(k) as CorpusFile);
  return { files, skipped };
}

/** The folder all files share, so a clean copy keeps their relative layout. */
export function commonFolder(paths: readonly string[]): string {
  const split = paths.map((p) => resolve(p).split(sep));
  const first = split[0].slice(0, -1);
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && i < parts.length - 1 && parts[i] === first[i]) i += 1;
    n = i;
  }
  return first.slice(0, n).join(sep) || sep;
}
