/**
 * The local Hugging Face hub cache, read the way huggingface_hub lays it out:
 * `<cache>/{models|datasets}--org--name/snapshots/<rev>/`. Nothing is ever downloaded.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The cache folders in huggingface_hub's order of precedence. */
export function hubCacheDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.HF_HUB_CACHE) dirs.push(env.HF_HUB_CACHE);
  if (env.HF_HOME) dirs.push(join(env.HF_HOME, 'hub'));
  dirs.push(join(homedir(), '.cache', 'huggingface', 'hub'));
  return [...new Set(dirs)];
}

/** The folder name of a repo in the cache, e.g. `datasets--allenai--ai2_arc`. */
export function hubFolder(id: string, kind: 'models' | 'datasets'): string {
  return `${kind}--${id.split('/').join('--')}`;
}

/** The snapshot `refs/main` names (what was last fetched); without it, the newest snapshot. */
export function findInHubCache(id: string, kind: 'models' | 'datasets', env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const cache of hubCacheDirs(env)) {
    const root = join(cache, hubFolder(id, kind));
    const snapshots = join(root, 'snapshots');
    if (!existsSync(snapshots)) continue;
    const refMain = join(root, 'refs', 'main');
    if (existsSync(refMain)) {
      const rev = readFileSync(refMain, 'utf8').trim();
      if (existsSync(join(snapshots, rev))) return join(snapshots, rev);
    }
    const revs = readdirSync(snapshots)
      .map((name) => ({ name, mtime: statSync(join(snapshots, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    if (revs.length > 0) return join(snapshots, revs[0].name);
  }
  return undefined;
}
