import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FatalError } from '../../errors.js';

/** The hub cache folders `huggingface_hub` uses, in its own order of precedence. */
export function hubCacheDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  if (env.HF_HUB_CACHE) dirs.push(env.HF_HUB_CACHE);
  if (env.HF_HOME) dirs.push(join(env.HF_HOME, 'hub'));
  dirs.push(join(homedir(), '.cache', 'huggingface', 'hub'));
  return [...new Set(dirs)];
}

/** A hub id looks like `org/name` (or a bare `name` for old canonical datasets) and is not a path on disk. */
export function looksLikeHubId(path: string): boolean {
  return !existsSync(path) && /^[\w.-]+(\/[\w.-]+)?$/.test(path) && !/\.(jsonl?|csv|parquet)$/i.test(path);
}

/**
 * Resolves `allenai/ai2_arc` to `<cache>/datasets--allenai--ai2_arc/snapshots/<rev>/`.
 * The revision is the one `refs/main` names (what `load_dataset` last fetched); without it, the newest snapshot.
 */
export function resolveHubDataset(id: string, env: NodeJS.ProcessEnv = process.env): string {
  const folder = `datasets--${id.replace(/\//g, '--')}`;
  const dirs = hubCacheDirs(env);
  for (const dir of dirs) {
    const repo = join(dir, folder);
    const snapshots = join(repo, 'snapshots');
    if (!existsSync(snapshots)) continue;
    const ref = join(repo, 'refs', 'main');
    if (existsSync(ref)) {
      const rev = readFileSync(ref, 'utf8').trim();
      if (existsSync(join(snapshots, rev))) return join(snapshots, rev);
    }
    const revs = readdirSync(snapshots)
      .map((name) => ({ name, mtime: statSync(join(snapshots, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    if (revs.length > 0) return join(snapshots, revs[0].name);
  }
  throw new FatalError(
    `${id}: expected a dataset folder, a file, or a dataset in the Hugging Face hub cache, found none (looked for ${folder}/snapshots in ${dirs.join(', ')})`,
  );
}
