/**
 * The audit configuration: defaults, then contam.config.yaml (found in the working directory, or
 * -c), then flags. Every mistake is one line naming the file, the key, what was found and what is valid.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { resolveCacheDir } from '../cache/dir.js';
import { FatalError, errorMessage } from '../errors.js';
import { TASKS } from '../benchmarks/tasks/registry.js';
import { parseDetectorSpec } from '../detectors/registry.js';
import type { AuditConfig, BenchmarkSpec, PlanConfig } from '../audit/types.js';
import { CONFIG_FIELDS, MODEL_KEYS, type FieldKind } from './config-schema.js';
import { isUrl, parseModelSpec, type ModelSpec } from '../models/registry.js';
import { DEFAULT_MARGINS, DEFAULT_THRESHOLDS } from '../stats/verdict.js';
import { DEFAULT_PREFIX_RATIO } from '../neighbours/plan.js';
import { DEFAULT_CUT } from '../neighbours/rank.js';

export const CONFIG_FILE = 'contam.config.yaml';

export const DEFAULTS = {
  samples: 100,
  seed: 0,
  sampling: 'seeded',
  // loss first: the upstream statistic. `reference` is left out by default: its score favours the
  // original over neighbours the reference model itself wrote, whatever the target learned.
  detectors: ['loss', 'zlib', 'lowercase', 'min-k', 'min-k-plus-plus'],
  neighbours: 100,
  prefixRatio: DEFAULT_PREFIX_RATIO,
  cut: DEFAULT_CUT,
  mode: 'fixed',
  earlyStop: true,
  thresholds: DEFAULT_THRESHOLDS,
  margins: DEFAULT_MARGINS,
  failOn: 'contaminated',
  strict: false,
  outputs: [],
  onnx: { batchSize: 16 },
  remote: { concurrency: 8, timeout: 300, retries: 8, retryDelay: 0.5 },
} as const satisfies Partial<AuditConfig>;

export type PartialConfig = Record<string, unknown>;

/** Flags are validated with the file's table; their messages name the flag typed, not the config key. */
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

const taskNames = () => TASKS.map((t) => t.name);

function benchmarkSpec(where: string, key: string, name: string | undefined, value: unknown): BenchmarkSpec {
  if (typeof value === 'string') value = { path: value };
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(where, key, value, 'a path or {name, task, path, split, options}');
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    if (!['name', 'task', 'path', 'split', 'options'].includes(k)) fail(where, `${key}.${k}`, k, 'one of name, task, path, split, options');
  }
  const benchName = typeof v.name === 'string' ? v.name : name;
  const task = typeof v.task === 'string' ? v.task : benchName;
  if (!benchName) fail(where, `${key}.name`, v.name, 'a benchmark name');
  if (!task || !taskNames().includes(task)) fail(where, `${key}.task`, task, `one of ${taskNames().join(', ')}`);
  if (typeof v.path !== 'string' || v.path === '') fail(where, `${key}.path`, v.path, 'a file, folder or hub dataset id');
  if (v.split !== undefined && typeof v.split !== 'string') fail(where, `${key}.split`, v.split, 'a split name such as test');
  const options = v.options;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) fail(where, `${key}.options`, options, 'a map of options');
  return { name: benchName, task, path: v.path, ...(v.split ? { split: v.split as string } : {}), ...(options ? { options: options as BenchmarkSpec['options'] } : {}) };
}

/** A folder, hub id or URL as a string, or {path} / {url, model, apiKeyEnv, tokenizer}. */
function modelSpec(where: string, key: string, value: unknown): ModelSpec {
  if (typeof value === 'string' && value !== '') return parseModelSpec(value);
  if (!value || typeof value !== 'object' || Array.isArray(value)) fail(where, key, value, 'a folder, hub id or http(s):// URL, or {url, model, apiKeyEnv, tokenizer}');
  const v = value as Record<string, unknown>;
  for (const [k, x] of Object.entries(v)) {
    if (!(MODEL_KEYS as readonly string[]).includes(k)) fail(where, `${key}.${k}`, k, `one of ${MODEL_KEYS.join(', ')}`);
    if (typeof x !== 'string' || x === '') fail(where, `${key}.${k}`, x, 'a non-empty string');
  }
  if ((v.path === undefined) === (v.url === undefined)) fail(where, key, value, 'exactly one of path (a local model) or url (a served model)');
  if (v.url !== undefined && !isUrl(v.url as string)) fail(where, `${key}.url`, v.url, 'an http:// or https:// URL such as http://127.0.0.1:8000/v1');
  if (v.path !== undefined && Object.keys(v).length > 1) fail(where, key, value, 'model, apiKeyEnv and tokenizer only with url');
  return v as unknown as ModelSpec;
}

function checkValue(where: string, key: string, kind: FieldKind, value: unknown): unknown {
  switch (kind.type) {
    case 'string':
      return typeof value === 'string' && value !== '' ? value : fail(where, key, value, 'a non-empty string');
    case 'enum':
      return typeof value === 'string' && kind.values.includes(value) ? value : fail(where, key, value, `one of ${kind.values.join(', ')}`);
    case 'integer':
      return Number.isInteger(value) && (value as number) >= kind.min ? value : fail(where, key, value, `an integer >= ${kind.min}`);
    case 'number': {
      const ok = typeof value === 'number' && (kind.exclusiveMin ? value > kind.min : value >= kind.min) && value <= kind.max;
      return ok ? value : fail(where, key, value, `a number in ${kind.exclusiveMin ? '(' : '['}${kind.min}, ${kind.max}]`);
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail(where, key, value, 'true or false');
    case 'strings':
      return Array.isArray(value) && value.every((x) => typeof x === 'string') ? value : fail(where, key, value, 'a list of strings');
    case 'thresholds': {
      const t = value as Record<string, unknown>;
      if (!t || typeof t !== 'object') fail(where, key, value, '{suspicious, contaminated}');
      for (const k of Object.keys(t)) if (!['suspicious', 'contaminated'].includes(k)) fail(where, `${key}.${k}`, k, 'suspicious or contaminated');
      const out = { ...DEFAULTS[key as 'thresholds' | 'margins'], ...t } as { suspicious: unknown; contaminated: unknown };
      for (const k of ['suspicious', 'contaminated'] as const) {
        const x = out[k];
        if (typeof x !== 'number' || x < 0 || x > 1) fail(where, `${key}.${k}`, x, 'a number in [0, 1]');
      }
      if ((out.suspicious as number) > (out.contaminated as number)) fail(where, key, value, 'suspicious <= contaminated');
      return out;
    }
    case 'cache': {
      const c = value as Record<string, unknown>;
      if (!c || typeof c !== 'object' || Array.isArray(c)) fail(where, key, value, '{enabled, dir}');
      for (const k of Object.keys(c)) if (!['enabled', 'dir'].includes(k)) fail(where, `${key}.${k}`, k, 'enabled or dir');
      if (c.enabled !== undefined && typeof c.enabled !== 'boolean') fail(where, `${key}.enabled`, c.enabled, 'true or false');
      if (c.dir !== undefined && typeof c.dir !== 'string') fail(where, `${key}.dir`, c.dir, 'a folder path');
      return c;
    }
    case 'model':
      return modelSpec(where, key, value);
    case 'object': {
      const o = value as Record<string, unknown>;
      const names = kind.fields.map((f) => f.key);
      if (!o || typeof o !== 'object' || Array.isArray(o)) fail(where, key, value, `{${names.join(', ')}}`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        const field = kind.fields.find((f) => f.key === k);
        if (!field) fail(where, `${key}.${k}`, k, `one of ${names.join(', ')}`);
        out[k] = checkValue(where, `${key}.${k}`, field.kind, v);
      }
      return out;
    }
    case 'benchmarks': {
      if (Array.isArray(value)) return value.map((v, i) => benchmarkSpec(where, `${key}[${i}]`, undefined, v));
      if (value && typeof value === 'object') return Object.entries(value).map(([name, v]) => benchmarkSpec(where, `${key}.${name}`, name, v));
      return fail(where, key, value, 'a list or map of benchmarks');
    }
  }
}

/** Validates a parsed config object (from YAML or flags); `where` names its origin in messages. */
export function validatePartial(raw: unknown, where: string): PartialConfig {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new FatalError(`${where}: expected a map of settings at the top level, found ${Array.isArray(raw) ? 'a list' : typeof raw}`);
  const out: PartialConfig = {};
  for (const [key, value] of Object.entries(raw)) {
    const field = CONFIG_FIELDS.find((f) => f.key === key);
    if (!field) throw new FatalError(`${where}: unknown key "${key}"; valid keys: ${CONFIG_FIELDS.map((f) => f.key).join(', ')}`);
    out[key] = checkValue(where, key, field.kind, value);
  }
  if (Array.isArray(out.detectors)) {
    for (const spec of out.detectors as string[]) {
      try {
        parseDetectorSpec(spec);
      } catch (error) {
        throw new FatalError(`${keyName(where, 'detectors')}: ${errorMessage(error)}`);
      }
    }
  }
  return out;
}

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
