/**
 * The audit configuration: defaults, then contam.config.yaml (found in the working directory, or
 * -c), then flags. Every mistake is one line naming the file, the key, what was found and what is valid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { resolveCacheDir } from '../cache/dir.js';
import { FatalError, errorMessage } from '../errors.js';
import type { AuditConfig, BenchmarkSpec, PlanConfig } from '../audit/types.js';
import { CONFIG_KEYS, CONFIG_SHAPE, DEFAULTS, type ConfigKey } from './config-schema.js';
import { firstProblem } from './config-issues.js';
import { parseModelSpec, type ModelSpec } from '../models/registry.js';

export const CONFIG_FILE = 'contam.config.yaml';

export { DEFAULTS };

export type PartialConfig = Record<string, unknown>;

/** Flags are validated with the file's schema; their messages name the flag typed, not the config key. */
const FLAGS = 'flags';
const FLAG_NAMES: Readonly<Record<string, string>> = { outputs: 'output', cache: 'no-cache', 'remote.timeout': 'request-timeout' };

function keyName(where: string, key: string): string {
  if (where !== FLAGS) return `${where}: key "${key}"`;
  if (FLAG_NAMES[key]) return `--${FLAG_NAMES[key]}`;
  // Backend options are flat flags: onnx.batchSize is --batch-size.
  const top = /^(onnx|remote)\./.test(key) ? key.split('.')[1] : key.split(/[.[]/)[0];
  return `--${FLAG_NAMES[top] ?? top.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function fail(where: string, key: string, found: unknown, expected: string): never {
  const shown = typeof found === 'string' ? JSON.stringify(found) : JSON.stringify(found) ?? String(found);
  throw new FatalError(`${keyName(where, key)}: expected ${expected}, found ${shown}`);
}

/** One key's value through its schema; the first problem becomes the one-line message. */
function checkValue(where: string, key: ConfigKey, value: unknown): unknown {
  const parsed = CONFIG_SHAPE[key].safeParse(value, { reportInput: true });
  if (parsed.success) return parsed.data;
  const problem = firstProblem(parsed.error);
  const path = problem.path === '' || problem.path.startsWith('[') ? `${key}${problem.path}` : `${key}.${problem.path}`;
  if (problem.verbatim) throw new FatalError(`${keyName(where, path)}: ${problem.expected}`);
  return fail(where, path, problem.found, problem.expected);
}

/** Validates a parsed config object (from YAML or flags); `where` names its origin in messages. */
export function validatePartial(raw: unknown, where: string): PartialConfig {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FatalError(`${where}: expected a map of settings at the top level, found ${Array.isArray(raw) ? 'a list' : typeof raw}`);
  const out: PartialConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isConfigKey(key)) throw new FatalError(`${where}: unknown key "${key}"; valid keys: ${CONFIG_KEYS.join(', ')}`);
    out[key] = checkValue(where, key, value);
  }
  return out;
}

const isConfigKey = (key: string): key is ConfigKey => Object.hasOwn(CONFIG_SHAPE, key);

export function readConfigFile(path: string): PartialConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FatalError(`cannot read config ${path}: ${errorMessage(error)}`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = e.linePos?.[0];
    throw new FatalError(`${path}${line ? ` line ${line.line} column ${line.col}` : ''}: YAML syntax error: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  return validatePartial(doc.toJS(), path);
}

/** The config file to read: -c wins; else contam.config.yaml in the working directory if present. */
export function findConfigFile(explicit: string | undefined, cwd = process.cwd()): string | undefined {
  if (explicit) {
    if (!existsSync(explicit)) throw new FatalError(`config ${explicit}: no such file`);
    return explicit;
  }
  const found = resolve(cwd, CONFIG_FILE);
  return existsSync(found) ? found : undefined;
}

const ROLES = ['target', 'reference'] as const;

/** Defaults < file < flags, then the checks that need the whole picture. */
export function resolveConfig(file: PartialConfig, flags: PartialConfig, cacheOverride?: string): AuditConfig {
  for (const key of ROLES) {
    if (flags[key] === undefined && file[key] === undefined) throw new FatalError(`no ${key} model: pass --${key} <folder, hub id or http://host:port/v1> or set "${key}" in ${CONFIG_FILE}`);
  }
  return resolvePlanConfig(file, flags, cacheOverride) as AuditConfig;
}

/** resolveConfig without requiring the models: what `audit --dry-run` plans from. */
export function resolvePlanConfig(file: PartialConfig, flags: PartialConfig, cacheOverride?: string): PlanConfig {
  const merged = { ...DEFAULTS, ...file, ...flags } as Record<string, unknown>;
  // The overlap block configures contam overlap, not the audit (nor its results.json).
  delete merged.overlap;
  const cache = { ...((file.cache as object) ?? {}), ...((flags.cache as object) ?? {}) } as { enabled?: boolean; dir?: string };
  for (const key of ROLES) {
    // --target-model / --reference-model name the served model of a URL given anywhere.
    const served = flags[`${key}Model`] as string | undefined;
    const name = flags[`${key}Name`] as string | undefined;
    delete merged[`${key}Model`];
    delete merged[`${key}Name`];
    if (merged[key] === undefined) {
      if (served !== undefined) throw new FatalError(`--${key}-model ${served}: no ${key} given; --${key}-model names a model served at the --${key} URL`);
      continue;
    }
    if (typeof merged[key] === 'string') merged[key] = parseModelSpec(merged[key] as string);
    if (served !== undefined) {
      const spec = merged[key] as ModelSpec;
      if (!('url' in spec)) throw new FatalError(`--${key}-model ${served}: the ${key} is a local model (${(spec as { path: string }).path}); --${key}-model names a model served at a URL`);
      merged[key] = { ...spec, model: served };
    }
    // --name / --reference-name: how reports call the model.
    if (name !== undefined) merged[key] = { ...(merged[key] as ModelSpec), name };
  }
  const benchmarks = (merged.benchmarks ?? []) as BenchmarkSpec[];
  if (benchmarks.length === 0) throw new FatalError(`no benchmarks: pass --benchmarks name=path[,name=path] or set "benchmarks" in ${CONFIG_FILE}`);
  const names = new Set<string>();
  for (const b of benchmarks) {
    if (names.has(b.name)) throw new FatalError(`benchmark "${b.name}" is listed twice; give each a distinct name`);
    names.add(b.name);
  }
  // compat reproduces the upstream tool, whose sample choice is Python's seeded shuffle, unless told otherwise.
  const sampling = flags.sampling ?? file.sampling ?? (merged.mode === 'compat' ? 'python-compat' : DEFAULTS.sampling);
  const section = <K extends 'onnx' | 'remote'>(name: K): AuditConfig[K] => ({ ...DEFAULTS[name], ...((file[name] as object) ?? {}), ...((flags[name] as object) ?? {}) }) as AuditConfig[K];
  return {
    ...(merged as unknown as PlanConfig),
    ...(file.detectors === undefined && flags.detectors === undefined ? { defaultDetectors: true } : {}),
    onnx: section('onnx'),
    remote: section('remote'),
    sampling: sampling as AuditConfig['sampling'],
    benchmarks,
    cache: { enabled: cache.enabled ?? true, dir: resolveCacheDir({ override: cacheOverride ?? cache.dir }) },
  };
}
