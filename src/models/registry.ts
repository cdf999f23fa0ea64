/**
 * From a model spec to a backend: a local folder or Hugging Face id (in the local hub cache) runs
 * on ONNX; an http(s):// URL is an engine such as vLLM. Each backend's own options travel beside
 * the spec, never in the audit's core settings.
 */
import { FatalError } from '../errors.js';
import type { ModelBackend } from './backend.js';
import { openOnnxBackend, type OnnxOptions } from './onnx/backend.js';
import { openRemoteBackend, type RemoteOptions, type RemoteSpec } from './remote/backend.js';

export type { OnnxOptions } from './onnx/backend.js';
export type { RemoteOptions, RemoteSpec } from './remote/backend.js';

/** A local model (folder or hub id), or a served one. */
export type ModelSpec = { readonly path: string; readonly name?: string } | RemoteSpec;

export interface BackendOptions {
  readonly onnx?: OnnxOptions;
  readonly remote?: RemoteOptions;
}

export const isUrl = (value: string): boolean => /^https?:\/\//i.test(value);

export function isRemote(spec: ModelSpec): spec is RemoteSpec {
  return 'url' in spec;
}

/** `--target` and a plain string in the config: a URL is remote, anything else a folder or hub id. */
export function parseModelSpec(value: string): ModelSpec {
  return isUrl(value) ? { url: value } : { path: value };
}

/** `--model NAME` on a URL: the served model to use. */
export function withServedModel(spec: ModelSpec, model: string | undefined): ModelSpec {
  if (model === undefined) return spec;
  if (!isRemote(spec)) throw new FatalError(`--model ${model}: ${spec.path} is a local model; --model names a model served at a URL`);
  return { ...spec, model };
}

/** How a spec is written back for people: the URL (with its served model) or the folder / hub id. */
export function specLabel(spec: ModelSpec): string {
  return isRemote(spec) ? `${spec.url}${spec.model ? ` (${spec.model})` : ''}` : spec.path;
}

export function openBackend(spec: ModelSpec, options: BackendOptions = {}, role = 'model'): Promise<ModelBackend> {
  return isRemote(spec) ? openRemoteBackend(spec, options.remote, role) : openOnnxBackend(spec.path, options.onnx);
}
