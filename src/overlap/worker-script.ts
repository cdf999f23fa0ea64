/** Starts a scan worker (scan-worker.ts) with its setup. */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../util/start-worker.js';
import type { WorkerSetup } from './worker-setup.js';

export function startScanWorker(setup: WorkerSetup): Worker {
  return startWorker(import.meta.url, 'scan-worker', setup);
}
