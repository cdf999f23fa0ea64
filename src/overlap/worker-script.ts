/**
 * Starts a scan worker from the compiled script beside this module (dist/overlap/scan-worker.js,
 * or dist-bench/src/overlap/ for the bench). Run from source (vitest, tsx), only the .ts exists:
 * the worker then registers tsx's loader first, as bench/peak-memory.ts runs its child from
 * source; Node 20 ignores `--import` in a worker's execArgv, hence the small bootstrap.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerSetup } from './worker-setup.js';

export function startScanWorker(setup: WorkerSetup): Worker {
  const js = new URL('./scan-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData: setup });
  const ts = new URL('./scan-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ts)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: setup });
}
