import { spawnSync } from 'node:child_process';

/**
 * Runs a python3 snippet that reads JSON on stdin and prints JSON; null when python3 (or the module
 * it imports) is missing, so tests fall back to numbers committed beside them.
 */
export function python<T>(script: string, input: unknown = null): T | null {
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  return run.status === 0 ? (JSON.parse(run.stdout) as T) : null;
}

export const sourceNote = (live: unknown): string => (live ? ' (python3 live)' : ' (committed numbers: python3 unavailable)');
