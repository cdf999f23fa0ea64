/**
 * A local model in a worker thread (worker-backend.ts): onnxruntime-node runs a session's passes
 * synchronously on the thread that calls it, so two models in one thread never compute at once.
 * Opens the model, says `ready` with its info and capabilities (or `failed`), then answers each call
 * `{ id, method, args }` with `{ id, result }` or `{ id, error }`. After `close` it lets the port go,
 * and the thread ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelBackend } from '../backend.js';
import { openOnnxBackend, type OnnxOptions } from './backend.js';
import { errorRecord, type WorkerCall, type WorkerSetup } from './worker-protocol.js';

const port = parentPort!;
const setup = workerData as WorkerSetup;

function answer(model: ModelBackend, call: WorkerCall): Promise<unknown> {
  switch (call.method) {
    case 'tokenize':
      return model.tokenize(...call.args);
    case 'tokenTexts':
      return model.tokenTexts(...call.args);
    case 'score':
      return model.score(...call.args);
    case 'sample':
      return model.sample(...call.args);
    case 'close':
      return model.close();
  }
}

const opening = openOnnxBackend(setup.path, { ...(setup.options as OnnxOptions), worker: false });
// Listening from the start keeps the thread alive while the model opens.
port.on('message', (call: WorkerCall) => {
  opening
    .then((model) => answer(model, call))
    .then(
      (result) => port.postMessage({ id: call.id, result }),
      (error: unknown) => port.postMessage({ id: call.id, error: errorRecord(error) }),
    )
    .finally(() => {
      if (call.method === 'close') port.close();
    });
});
opening.then(
  (model) => port.postMessage({ type: 'ready', info: model.info(), capabilities: model.capabilities }),
  (error: unknown) => {
    port.postMessage({ type: 'failed', error: errorRecord(error) });
    port.close();
  },
);
