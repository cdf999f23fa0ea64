/**
 * From a --target/--reference value to the files of one ONNX causal LM: a local folder, or a
 * Hugging Face model id found in the local hub cache. Nothing is ever downloaded.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { FatalError } from '../../errors.js';
import { findInHubCache, hubCacheDirs } from '../../util/hub-cache.js';
import { readOptionalJson, stringAt } from '../files.js';

export type Layout = 'optimum' | 'transformers.js' | 'onnxruntime-genai';

export interface ModelFiles {
  /** What the user asked for. */
  readonly spec: string;
  /** Folder holding tokenizer.json and config files. */
  readonly dir: string;
  readonly layout: Layout;
  readonly onnxPath: string;
  /** External weight files beside the graph (.onnx.data, .onnx_data). */
  readonly externalData: readonly string[];
  readonly tokenizerPath: string | undefined;
  readonly tokenizerConfigPath: string | undefined;
  readonly dtype: string;
}

/** Bytes of the graph and its weight files: what the memory rule (1.5 x files + 300 MB) counts. */
export function modelFileBytes(files: ModelFiles): number {
  return [files.onnxPath, ...files.externalData].reduce((sum, p) => sum + statSync(p).size, 0);
}

/** transformers.js names its variants model{suffix}.onnx. */
const DTYPE_SUFFIX: Record<string, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

function locateDir(spec: string): string {
  const local = resolve(spec);
  if (existsSync(local)) {
    if (!statSync(local).isDirectory()) {
      throw new FatalError(`model ${spec}: expected a folder holding an ONNX export, found a file`);
    }
    return local;
  }
  if (/^[\w.-]+\/[\w.-]+$/.test(spec)) {
    const cached = findInHubCache(spec, 'models');
    if (cached) return cached;
  }
  throw new FatalError(
    `model ${spec}: not a folder, and not a model id in the local Hugging Face cache (looked in ${hubCacheDirs().join(', ')}); nothing is downloaded`,
  );
}

function pick(dir: string, names: string[]): string | undefined {
  return names.map((name) => join(dir, name)).find((path) => existsSync(path));
}

function variantNames(dtype: string | undefined, bases: string[]): string[] {
  if (dtype === undefined) return bases.map((b) => `${b}.onnx`);
  const suffix = DTYPE_SUFFIX[dtype];
  if (suffix === undefined) {
    throw new FatalError(`--dtype ${dtype}: unknown; expected one of ${Object.keys(DTYPE_SUFFIX).join(', ')}`);
  }
  return bases.map((b) => `${b}${suffix}.onnx`);
}

function findGraph(dir: string, dtype: string | undefined): { layout: Layout; onnxPath: string } {
  const genai = readOptionalJson(dir, 'genai_config.json');
  const genaiFile = stringAt(genai, 'model', 'decoder', 'filename');
  if (genaiFile) {
    const path = join(dir, genaiFile);
    if (!existsSync(path)) throw new FatalError(`${join(dir, 'genai_config.json')}: names ${genaiFile}, which is not in ${dir}`);
    return { layout: 'onnxruntime-genai', onnxPath: path };
  }
  // Merged decoders serve both the first pass and cached steps, so they come first.
  const bases = ['decoder_model_merged', 'model', 'decoder_model'];
  const onnxDir = join(dir, 'onnx');
  if (existsSync(onnxDir)) {
    const path = pick(onnxDir, variantNames(dtype ?? 'fp32', bases));
    if (path) return { layout: 'transformers.js', onnxPath: path };
  }
  const path = pick(dir, variantNames(dtype, bases));
  if (path) return { layout: 'optimum', onnxPath: path };
  const found = readdirSync(dir).filter((f) => f.endsWith('.onnx') || f === 'onnx');
  const wanted = variantNames(dtype, bases);
  throw new FatalError(
    `model folder ${dir}: no ONNX decoder found (found: ${found.length ? found.join(', ') : 'no .onnx files'}); ` +
      `expected ${wanted.join(' or ')}, onnx/${wanted[1]} (transformers.js) or genai_config.json (ONNX Runtime GenAI)`,
  );
}

export function resolveModel(spec: string, dtype?: string): ModelFiles {
  const dir = locateDir(spec);
  const { layout, onnxPath } = findGraph(dir, dtype);
  const graphDir = dirname(onnxPath);
  const stem = basename(onnxPath);
  const externalData = readdirSync(graphDir)
    .filter((f) => f === `${stem}.data` || f === `${stem}_data` || f.startsWith(`${stem}.data`) || f.startsWith(`${stem}_data`))
    .map((f) => join(graphDir, f));
  const tokenizerPath = pick(dir, ['tokenizer.json']) ?? pick(graphDir, ['tokenizer.json']);
  const tokenizerConfigPath = pick(dir, ['tokenizer_config.json']) ?? pick(graphDir, ['tokenizer_config.json']);
  const inferred = Object.entries(DTYPE_SUFFIX).find(([, s]) => s && stem.includes(s))?.[0];
  return { spec, dir, layout, onnxPath, externalData, tokenizerPath, tokenizerConfigPath, dtype: dtype ?? inferred ?? 'fp32' };
}
