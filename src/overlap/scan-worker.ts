/**
 * Worker thread of the parallel scan: builds its own copy of the benchmark index from the items'
 * texts (a few milliseconds and megabytes even for MMLU's 14k items, far cheaper than sharing the
 * index's object graph), then scans every chunk it is sent and posts the compact result back.
 * The chunk's bytes go back too when the main thread needs them for `--write-clean`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { scanChunk, type ChunkContext, type ChunkMeta } from './chunk-scan.js';
import { makeFilter } from './drop-tasks.js';
import { rebuildIndex, type WorkerSetup } from './worker-setup.js';

const setup = workerData as WorkerSetup;
const ctx: ChunkContext = {
  index: rebuildIndex(setup.n, setup.items),
  textField: setup.textField,
  taskField: setup.taskField,
  taskFilter: setup.taskFilter ? makeFilter(setup.taskFilter.source, setup.taskFilter.names) : undefined,
  strict: setup.strict,
  shard: setup.shard,
  clean: setup.clean,
};

parentPort?.on('message', (job: { meta: ChunkMeta; data: ArrayBuffer }) => {
  const result = scanChunk(Buffer.from(job.data), job.meta, ctx);
  if (setup.clean) parentPort?.postMessage({ result, data: job.data }, [job.data]);
  else parentPort?.postMessage({ result });
});
