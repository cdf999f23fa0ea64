import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError } from '../../errors.js';

export interface SubjectFile {
  readonly subject: string;
  readonly path: string;
  readonly display: string;
}

const SUBJECT_CSV = /^(.+)_([a-z]+)\.csv$/;

/** True for the hendrycks release layout: `<subject>_<split>.csv` files here or in `<split>/`. */
export function isSubjectCsvFolder(dir: string): boolean {
  const csvs = (d: string) => existsSync(d) && statSync(d).isDirectory() && readdirSync(d).some((n) => SUBJECT_CSV.test(n));
  return csvs(dir) || readdirSync(dir).some((n) => csvs(join(dir, n)));
}

/**
 * The per-subject CSVs of one split, sorted by subject (the order `os.listdir` + `sorted` gives
 * upstream, and the order of `cais/mmlu` "all"). Accepts the release root (`data/` holding
 * `test/`, `dev/`, `val/`) or a split folder itself.
 */
export function listSubjectFiles(dir: string, split: string): SubjectFile[] {
  const splitDir = join(dir, split);
  const base = existsSync(splitDir) && statSync(splitDir).isDirectory() ? splitDir : dir;
  const prefix = base === splitDir ? `${split}/` : '';
  const files = readdirSync(base)
    .sort()
    .flatMap((name) => {
      const match = SUBJECT_CSV.exec(name);
      return match && match[2] === split ? [{ subject: match[1], path: join(base, name), display: `${prefix}${name}` }] : [];
    });
  if (files.length === 0) {
    const splits = new Set<string>();
    for (const d of [dir, ...readdirSync(dir).map((n) => join(dir, n))]) {
      if (!statSync(d).isDirectory()) continue;
      for (const name of readdirSync(d)) {
        const match = SUBJECT_CSV.exec(name);
        if (match) splits.add(match[2]);
      }
    }
    throw new FatalError(`${dir}: split "${split}" not found (no <subject>_${split}.csv files); valid choices: ${[...splits].sort().join(', ')}`);
  }
  return files;
}
