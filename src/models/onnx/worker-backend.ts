/**
 * A local model run in its own worker thread, behind the same ModelBackend as one run here.
 * onnxruntime-node computes a session's pass synchronously on the calling thread (its `run` only
 * defers the call to `setImmediate`), so two models opened in one thread take turns however their
 * calls are issued: `--side-by-side` gave each half the cores and still ran one pass at a time
 * (issue 20, goal 2). With each model in a worker the two passes run at once, sharing the cores
 * (audit/seats.ts), and the main thread stays free for the audit's own work and the terminal UI.
 */
import type { ModelBackend } from '../backend.js';
import { startWorker } from '../../util/start-worker.js';
import { errorFrom, type WorkerCall, type WorkerReply } from './worker-protocol.js';
import type { OnnxOptions } from './backend.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export async function openOnnxBackendInWorker(path: string, options: OnnxOptions): Promise<ModelBackend> {
  const worker = startWorker(import.meta.url, 'model-worker', { path, options: { ...options } });
  const pending = new Map<number, Pending>();
  let next = 0;
  let gone: Error | undefined;
  const ready = new Promise<Extract<WorkerReply, { type: 'ready' }>>((resolve, reject) => {
    worker.on('message', (reply: WorkerReply) => {
      if ('type' in reply) {
        if (reply.type === 'ready') resolve(reply);
        else reject(errorFrom(reply.error));
        return;
      }
      const call = pending.get(reply.id);
      pending.delete(reply.id);
      if (reply.error) call?.reject(errorFrom(reply.error));
      else call?.resolve(reply.result);
    });
    const fail = (error: Error) => {
      gone = error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => fail(new Error(`the worker thread running ${path} stopped${code ? ` (exit code ${code})` : ''}`)));
  });
  let opened: Extract<WorkerReply, { type: 'ready' }>;
  try {
    opened = await ready;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  const call = <T>(method: WorkerCall['method'], ...args: unknown[]): Promise<T> => {
    if (gone) return Promise.reject(gone);
    const id = next++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, method, args });
    });
  };
  let closed: Promise<void> | undefined;
  return {
    info: () => opened.info,
    capabilities: opened.capabilities,
    tokenize: (texts, o) => call('tokenize', texts, o),
    tokenTexts: (ids) => call('tokenTexts', ids),
    score: (sequences, o) => call('score', sequences, o),
    sample: (prefix, o) => call('sample', prefix, o),
    // The worker answers `close` after closing its session, then ends; terminate covers a stuck one.
    close: () =>
      (closed ??= (async () => {
        try {
          if (!gone) await call('close');
        } finally {
          await worker.terminate();
        }
      })()),
  };
}
