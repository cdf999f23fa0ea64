/**
 * Turns `--corpus` arguments (files, folders, globs) into one sorted list of files, so every run and
 * every shard sees the same order. Folders are walked recursively; files in them of a format not read
 * yet are listed as skipped, while a file named outright in an unread format is an error.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { FatalError } from '../errors.js';

export type CorpusFormat = 'jsonl' | 'text';

export interface CorpusFile {
  /** Path as shown in reports: relative to the working folder when inside it. */
  readonly path: string;
  readonly format: CorpusFormat;
  readonly gzip: boolean;
  readonly bytes: number;
}

const READ = 'expected .jsonl, .ndjson, .txt or .md, optionally .gz';

/** The format of a file from its name, or why it cannot be read. */
export function formatOf(path: string): { format: CorpusFormat; gzip: boolean } | { unread: string } {
  const lower = path.toLowerCase();
  const gzip = lower.endsWith('.gz');
  const base = gzip ? lower.slice(0, -3) : lower;
  if (base.endsWith('.jsonl') || base.endsWith('.ndjson')) return { format: 'jsonl', gzip };
  if (base.endsWith('.txt') || base.endsWith('.md')) return { format: 'text', gzip };
  if (lower.endsWith('.zst') || lower.endsWith('.zstd')) return { unread: 'zstandard corpora are not read yet' };
  if (lower.endsWith('.parquet')) return { unread: 'Parquet corpora are not read yet' };
  return { unread: 'unknown corpus format' };
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(full);
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
  const take = (full: string, named: boolean) => {
    const kind = formatOf(full);
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
    const full = resolve(arg);
    if (!existsSync(full)) throw new FatalError(`--corpus ${arg}: expected a file, folder or glob, found nothing at this path`);
    if (statSync(full).isDirectory()) {
      const all: string[] = [];
      walk(full, all);
      all.forEach((f) => take(f, false));
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
