/**
 * scan.ts's pass over the corpus spread over worker threads. The main thread reads (and gunzips)
 * each file, cuts it into chunks of whole records numbered up front (chunk-reader.ts), and hands
 * them to idle workers; results are applied strictly in corpus order (scan-totals.ts), and the
 * clean copy is written from the chunk's own bytes minus the ranges a worker left out, so every
 * output equals the single-thread scan's byte for byte. At most `2 x workers` chunks are read and
 * not yet applied, so memory is bounded by the index and a few chunks, never by the corpus.
 */
import type { Worker } from 'node:worker_threads';
import { FatalError, errorMessage } from '../errors.js';
import { CHUNK_BYTES, fileChunks } from './chunk-reader.js';
import type { ChunkMeta, ChunkResult } from './chunk-scan.js';
import type { CorpusFile } from './corpus-files.js';
import type { NgramIndex } from './ngram-index.js';
import type { ScanOptions, ScanProgress, ScanResult } from './scan.js';
import { ScanTotals } from './scan-totals.js';
import { startScanWorker } from './worker-script.js';
import { workerSetup } from './worker-setup.js';

/** A step applied in corpus order: a chunk's result, or a file opening or closing for the clean copy. */
type Step =
  | { readonly kind: 'chunk'; readonly file: CorpusFile; readonly length: number; readonly inputBytes: number; done?: { result: ChunkResult; data?: Buffer } }
  | { readonly kind: 'open'; readonly file: CorpusFile }
  | { readonly kind: 'close'; readonly file: CorpusFile };

/** `chunkBytes` is for tests: small chunks make records straddle the reads. */
export async function scanCorpusParallel(files: readonly CorpusFile[], index: NgramIndex, options: ScanOptions, workerCount: number, chunkBytes = CHUNK_BYTES): Promise<ScanResult> {
  const started = performance.now();
  const totals = new ScanTotals(options.taskFilter?.names ?? []);
  const setup = workerSetup(index, options);
  const workers: Worker[] = Array.from({ length: workerCount }, () => startScanWorker(setup));
  const idle = [...workers];
  const waiting: { meta: ChunkMeta; data: Buffer }[] = [];
  const steps = new Map<number, Step>();
  let stepCount = 0;
  let applied = 0;
  let inFlight = 0;
  let failure: Error | undefined;
  let wake: () => void = () => {};
  const every = options.progressEvery ?? 1000;
  let lastProgress = started;
  let bytesRead = 0;
  let inputDone = 0;
  let inputBytes = 0;
  const addStep = (step: Step): number => {
    steps.set(stepCount, step);
    return stepCount++;
  };
  const progress = (): void =>
    options.onProgress?.({ bytesRead, inputBytes, records: totals.records, recordsWithMatches: totals.recordsWithMatches, itemsMatched: totals.matches.size, seconds: (performance.now() - started) / 1000 } satisfies ScanProgress);

  const send = (worker: Worker, job: { meta: ChunkMeta; data: Buffer }): void => {
    const buffer = job.data.buffer as ArrayBuffer;
    worker.postMessage({ meta: job.meta, data: buffer }, [buffer]);
  };
  for (const worker of workers) {
    worker.on('message', (m: { result: ChunkResult; data?: ArrayBuffer }) => {
      const step = steps.get(m.result.seq);
      if (step?.kind === 'chunk') step.done = { result: m.result, data: m.data ? Buffer.from(m.data) : undefined };
      const next = waiting.shift();
      if (next) send(worker, next);
      else idle.push(worker);
      wake();
    });
    worker.on('error', (e) => {
      failure ??= new FatalError(`contam overlap: a scan worker failed (${errorMessage(e)}); rerun with --workers 1`);
      wake();
    });
  }

  /** Applies every finished step at the head of the order; the only place outputs are written. */
  const applyReady = async (): Promise<void> => {
    for (let step = steps.get(applied); step !== undefined; step = steps.get(applied)) {
      if (step.kind === 'open') await options.clean?.openFile(step.file);
      else if (step.kind === 'close') await options.clean?.closeFile();
      else {
        if (!step.done) return;
        const { result, data } = step.done;
        totals.apply(result);
        if (result.fatal) throw new FatalError(result.fatal);
        if (options.clean && data) await writeKept(options, data.subarray(0, step.length), result);
        bytesRead += step.length;
        inputBytes = step.inputBytes;
        inFlight -= 1;
      }
      steps.delete(applied);
      applied += 1;
      if (performance.now() - lastProgress >= every) {
        lastProgress = performance.now();
        progress();
      }
    }
  };
  const waitFor = async (ready: () => boolean): Promise<void> => {
    while (!ready()) {
      if (failure) throw failure;
      await new Promise<void>((done) => (wake = done));
      await applyReady();
    }
    if (failure) throw failure;
  };

  try {
    let globalRecord = 0;
    for (const file of files) {
      addStep({ kind: 'open', file });
      try {
        for await (const chunk of fileChunks(file, chunkBytes)) {
          await applyReady();
          await waitFor(() => inFlight < 2 * workerCount);
          const seq = addStep({ kind: 'chunk', file, length: chunk.length, inputBytes: inputDone + chunk.inputBytes });
          const meta: ChunkMeta = { seq, file: file.path, format: file.format, line: chunk.line, record: chunk.record, globalRecord, length: chunk.length };
          globalRecord += chunk.records;
          inFlight += 1;
          const worker = idle.pop();
          if (worker) send(worker, { meta, data: chunk.data });
          else waiting.push({ meta, data: chunk.data });
        }
      } catch (error) {
        if (error instanceof FatalError) throw error;
        throw new FatalError(`--corpus ${file.path}: cannot read this file (${errorMessage(error)}); expected ${file.gzip ? 'gzip-compressed ' : ''}${file.format === 'jsonl' ? 'JSONL' : 'text'}`);
      }
      addStep({ kind: 'close', file });
      await waitFor(() => inFlight < 2 * workerCount);
      inputDone += file.bytes;
    }
    await applyReady();
    await waitFor(() => applied === stepCount);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  progress();
  return totals.result((performance.now() - started) / 1000);
}

/** The chunk minus the omitted ranges, written as one piece per kept run of units. */
async function writeKept(options: ScanOptions, data: Buffer, result: ChunkResult): Promise<void> {
  let from = 0;
  for (let i = 0; i < result.omit.length; i += 2) {
    if (result.omit[i] > from) await options.clean?.keep(data.subarray(from, result.omit[i]));
    from = result.omit[i + 1];
  }
  if (from < data.length) await options.clean?.keep(data.subarray(from));
  for (const removal of result.removals) await options.clean?.remove(removal);
}
