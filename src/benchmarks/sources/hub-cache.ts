import { existsSync } from 'node:fs';
import { FatalError } from '../../errors.js';
import { findInHubCache, hubCacheDirs, hubFolder } from '../../util/hub-cache.js';


/** A hub id looks like `org/name` (or a bare `name` for old canonical datasets) and is not a path on disk. */
export function looksLikeHubId(path: string): boolean {
  return !existsSync(path) && /^[\w.-]+(\/[\w.-]+)?$/.test(path) && !/\.(jsonl?|csv|parquet)$/i.test(path);
}

/**
 * Resolves `allenai/ai2_arc` to `<cache>/datasets--allenai--ai2_arc/snapshots/<rev>/`.
 * The revision is the one `refs/main` names (what `load_dataset` last fetched); without it, the newest snapshot.
 */
export function resolveHubDataset(id: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = findInHubCache(id, 'datasets', env);
  if (found) return found;
  throw new FatalError(
    `${id}: expected a dataset folder, a file, or a dataset in the Hugging Face hub cache, found none (looked for ${hubFolder(id, 'datasets')}/snapshots in ${hubCacheDirs(env).join(', ')})`,
  );
}
