/**
 * Where the per-sample cache lives: `--cache-dir`, else CONTAM_CACHE_DIR, else
 * `$XDG_CACHE_HOME/contam`, else `~/.cache/contam` (the XDG base-directory convention).
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export interface CacheDirInputs {
  /** `--cache-dir` (or the config's cache.dir), which wins over the environment. */
  readonly override?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
}

export function resolveCacheDir(inputs: CacheDirInputs = {}): string {
  const env = inputs.env ?? process.env;
  if (inputs.override) return resolve(inputs.override);
  if (env.CONTAM_CACHE_DIR) return resolve(env.CONTAM_CACHE_DIR);
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'contam');
  return join(inputs.home ?? homedir(), '.cache', 'contam');
}
