/**
 * Starts a worker thread from the compiled script `name`.js beside the calling module (under dist/,
 * or dist-bench/src/ for the bench). Run from source (vitest, tsx), only the .ts exists: the worker
 * then registers tsx's loader first, as bench/peak-memory.ts runs its child from source; Node 20
 * ignores `--import` in a worker's execArgv, hence the small bootstrap.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  const js = new URL(`./${name}.js`, callerUrl);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  const ts = new URL(`./${name}.ts`, callerUrl).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
