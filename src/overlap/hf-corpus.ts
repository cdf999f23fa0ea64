/**
 * Hugging Face datasets as corpora: a dataset folder (its shards under data/ or <config>/, beside a
 * README.md card), a hub-cache repo folder (`datasets--org--name`, read at the snapshot refs/main
 * names, as src/util/hub-cache.ts does for benchmarks), or a hub id (`org/name`) found in the cache.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findInHubCache } from '../util/hub-cache.js';
import { looksLikeHubId } from '../benchmarks/sources/hub-cache.js';

/** The snapshot a hub-cache repo folder's refs/main names, else its newest snapshot. */
function snapshotOf(repo: string): string | undefined {
  const snapshots = join(repo, 'snapshots');
  const ref = join(repo, 'refs', 'main');
  if (existsSync(ref)) {
    const rev = join(snapshots, readFileSync(ref, 'utf8').trim());
    if (existsSync(rev)) return rev;
  }
  const revs = readdirSync(snapshots).map((name) => join(snapshots, name)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return revs[0];
}

/** The folder or file a --corpus argument names, or undefined when there is none. */
export function hfCorpusRoot(arg: string): string | undefined {
  const full = resolve(arg);
  if (existsSync(full)) {
    const isRepo = statSync(full).isDirectory() && existsSync(join(full, 'snapshots')) && /^datasets--/.test(full.split(/[\\/]/).pop() ?? '');
    return isRepo ? (snapshotOf(full) ?? full) : full;
  }
  return looksLikeHubId(arg) ? findInHubCache(arg, 'datasets') : undefined;
}

/** A dataset folder: a data/ folder, or a README.md that opens with the Hub's YAML card header. */
export function isHfDatasetFolder(dir: string): boolean {
  if (existsSync(join(dir, 'data')) && statSync(join(dir, 'data')).isDirectory()) return true;
  const card = join(dir, 'README.md');
  return existsSync(card) && readFileSync(card, 'utf8').startsWith('---');
}
