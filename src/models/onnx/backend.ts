/** A local ONNX export behind the model-backend seam. */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ModelBackend } from '../backend.js';
import { openModel, type OpenOptions, type OpenedModel } from './open.js';
import { openOnnxBackendInWorker } from './worker-backend.js';

export interface OnnxOptions {
  /** transformers.js file variant: fp32, fp16, q8, ... */
  readonly dtype?: string;
  /** Most sequences per forward pass. */
  readonly batchSize?: number;
  /** onnxruntime's intra-op threads per model; default every core. */
  readonly threads?: number;
  /** Target and reference run at the same time, each in its own worker thread (audit/seats.ts; default false). */
  readonly sideBySide?: boolean;
  /** onnxruntime's pool threads spin while they wait for work (its default); off when two models share the cores. */
  readonly spinning?: boolean;
  /** Run the model in its own worker thread (worker-backend.ts): set for two local models side by side. */
  readonly worker?: boolean;
}

export function onnxBackend(model: OpenedModel): ModelBackend {
  const tok = () => model.tokenizer;
  const info = {
    kind: 'onnx' as const,
    id: displayName(model.id),
    location: model.files.dir,
    fingerprint: model.fingerprint,
    weightsHashed: true,
    contextLength: model.contextLength,
    vocabSize: model.vocabSize,
    details: { layout: model.files.layout, dtype: model.files.dtype, head: model.opened.hasHead ? 'in-graph' : 'JavaScript' },
  };
  return {
    info: () => info,
    capabilities: {
      distribution: true,
      reproducibleSampling: true,
      samplingNote: 'seeded per neighbour row: the same seed gives the same neighbours on any machine',
      parallelSamples: 1,
    },
    tokenize: async (texts, options) => texts.map((t) => tok().encode(t, options)),
    tokenTexts: async (ids) => ids.map((id) => tok().tokenText(id)),
    // The in-graph head always returns the distribution's moments: asking for less saves nothing.
    score: (sequences) => model.scoreIds(sequences),
    async sample(prefix, options) {
      const continuations = await model.sampleIds(prefix.ids, options);
      return continuations.map((c) => tok().decode([...prefix.ids, ...c], { skipSpecialTokens: true }));
    },
    close: () => model.close(),
  };
}

/** A hub id stays as it is; a folder is named by its last component, never by the machine's absolute path. */
function displayName(spec: string): string {
  return existsSync(spec) ? basename(resolve(spec)) : spec;
}

export async function openOnnxBackend(path: string, options: OnnxOptions = {}, extra: OpenOptions = {}): Promise<ModelBackend> {
  if (options.worker) return openOnnxBackendInWorker(path, options);
  return onnxBackend(await openModel(path, { ...extra, dtype: options.dtype, batchSize: options.batchSize, threads: options.threads, spinning: options.spinning }));
}
