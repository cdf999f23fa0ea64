/**
 * Runs the BUILT CLI (dist/cli/main.js, from `npm run build`) the way CI does: no stdin, CI=true
 * (plain lines, never Ink), no colour, and a private cache folder so a test never reads or writes
 * the user's cache.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO, 'dist/cli/main.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Working folder; default a fresh empty temp folder (so no contam.config.yaml is picked up). */
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Milliseconds before the CLI is killed (code null); default 120 s. */
  readonly timeout?: number;
}

export function runCli(args: readonly string[], options: CliOptions = {}): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first (npm test does)`);
  const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), 'contam-cwd-'));
  const env: Record<string, string> = { ...(process.env as Record<string, string>), CI: 'true', NO_COLOR: '1', CONTAM_CACHE_DIR: mkdtempSync(join(tmpdir(), 'contam-cache-')) };
  // vitest sets FORCE_COLOR for its own output; the CLI must not inherit it.
  delete env.FORCE_COLOR;
  Object.assign(env, options.env);
  const out = spawnSync(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: options.timeout ?? 120_000 });
  if (out.error) throw out.error;
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** Lines of a stack trace ("    at fn (file:1:2)"): a user's mistake must never print one. */
export const STACK_LINE = /^\s+at /m;

/** stderr lines starting with "contam: ", the one-line user-facing errors. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('contam: '));
}
