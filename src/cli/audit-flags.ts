/** contam audit's flags, turned into a partial configuration validated like the YAML file. */
import { FatalError } from '../errors.js';
import type { BenchmarkSpec } from '../audit/types.js';
import { intFlag, numberFlag, type Options } from './args.js';
import { validatePartial, type PartialConfig } from './config.js';
import type { ConfigKey } from './config-schema.js';

export const AUDIT_FLAGS = {
  config: { type: 'string', short: 'c' },
  target: { type: 'string' },
  reference: { type: 'string' },
  'target-model': { type: 'string' },
  'reference-model': { type: 'string' },
  name: { type: 'string' },
  'reference-name': { type: 'string' },
  dtype: { type: 'string' },
  benchmarks: { type: 'string', short: 'b' },
  samples: { type: 'string', short: 'n' },
  seed: { type: 'string' },
  sampling: { type: 'string' },
  detectors: { type: 'string', short: 'd' },
  neighbours: { type: 'string' },
  'prefix-ratio': { type: 'string' },
  cut: { type: 'string' },
  mode: { type: 'string' },
  'early-stop': { type: 'boolean' },
  'no-early-stop': { type: 'boolean' },
  thresholds: { type: 'string' },
  margins: { type: 'string' },
  output: { type: 'string', short: 'o', multiple: true },
  'out-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  'cache-dir': { type: 'string' },
  json: { type: 'boolean' },
  'fail-on': { type: 'string' },
  strict: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  'batch-size': { type: 'string' },
  threads: { type: 'string' },
  'side-by-side': { type: 'boolean' },
  'no-side-by-side': { type: 'boolean' },
  concurrency: { type: 'string' },
  'request-timeout': { type: 'string' },
  retries: { type: 'string' },
  'max-tokens': { type: 'string' },
  // Read by the audit command itself (src/audit/data-overlap.ts), not part of the configuration.
  overlap: { type: 'string' },
} as const satisfies Options;

type Values = { [K in keyof typeof AUDIT_FLAGS]?: (typeof AUDIT_FLAGS)[K] extends { multiple: true } ? string[] : (typeof AUDIT_FLAGS)[K]['type'] extends 'boolean' ? boolean : string };

/** `gsm8k=./test.jsonl`, `mine:custom=./x.jsonl`, or a bare name picked from the config file. */
export function parseBenchmarkList(value: string, fromFile: readonly BenchmarkSpec[] | undefined): BenchmarkSpec[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const eq = item.indexOf('=');
      if (eq < 0) {
        const known = fromFile?.find((b) => b.name === item);
        if (!known) {
          throw new FatalError(`--benchmarks ${item}: no data path; write ${item}=<file or folder>, or define "${item}" under benchmarks in contam.config.yaml`);
        }
        return known;
      }
      const [name, task] = item.slice(0, eq).split(':');
      return { name, task: task ?? name, path: item.slice(eq + 1) };
    });
}

export function flagsToPartial(values: Values, fromFile: readonly BenchmarkSpec[] | undefined): PartialConfig {
  const raw: { [K in ConfigKey]?: unknown } = {};
  // Keys are the schema's: a flag mapped to a key the config does not have fails to compile.
  const set = (key: ConfigKey, value: unknown) => value !== undefined && (raw[key] = value);
  set('target', values.target);
  set('reference', values.reference);
  const onnx: Record<string, unknown> = {};
  if (values.dtype !== undefined) onnx.dtype = values.dtype;
  if (values['batch-size'] !== undefined) onnx.batchSize = intFlag(values['batch-size'], '--batch-size', 1);
  if (values.threads !== undefined) onnx.threads = intFlag(values.threads, '--threads', 1);
  if (values['no-side-by-side']) onnx.sideBySide = false;
  else if (values['side-by-side']) onnx.sideBySide = true;
  if (Object.keys(onnx).length) raw.onnx = onnx;
  const remote: Record<string, unknown> = {};
  if (values.concurrency !== undefined) remote.concurrency = intFlag(values.concurrency, '--concurrency', 1);
  if (values['request-timeout'] !== undefined) remote.timeout = numberFlag(values['request-timeout'], '--request-timeout', (n) => n > 0, 'a number of seconds > 0');
  if (values.retries !== undefined) remote.retries = intFlag(values.retries, '--retries', 0);
  if (Object.keys(remote).length) raw.remote = remote;
  if (values.benchmarks !== undefined) raw.benchmarks = parseBenchmarkList(values.benchmarks, fromFile);
  set('samples', intFlag(values.samples, '--samples', 1));
  set('seed', intFlag(values.seed, '--seed', 0));
  set('sampling', values.sampling);
  if (values.detectors !== undefined) raw.detectors = values.detectors.split(',').map((d) => d.trim()).filter(Boolean);
  set('neighbours', intFlag(values.neighbours, '--neighbours', 1));
  set('prefixRatio', numberFlag(values['prefix-ratio'], '--prefix-ratio', (n) => n > 0 && n <= 1, 'a number in (0, 1]'));
  set('cut', numberFlag(values.cut, '--cut', (n) => n > 0 && n <= 1, 'a number in (0, 1]'));
  set('mode', values.mode);
  if (values['no-early-stop']) raw.earlyStop = false;
  else if (values['early-stop']) raw.earlyStop = true;
  for (const [flag, example] of [['thresholds', '0.5,0.85'], ['margins', '0.05,0.1']] as const) {
    const value = values[flag];
    if (value === undefined) continue;
    const parts = value.split(',').map(Number);
    if (parts.length !== 2 || parts.some((n) => !Number.isFinite(n))) {
      throw new FatalError(`--${flag} ${value}: expected two numbers "suspicious,contaminated", e.g. ${example}`);
    }
    raw[flag] = { suspicious: parts[0], contaminated: parts[1] };
  }
  set('outputs', values.output);
  set('outDir', values['out-dir']);
  if (values['no-cache']) raw.cache = { enabled: false };
  set('failOn', values['fail-on']);
  if (values.strict) raw.strict = true;
  // Flags are validated with the same table as the file; the message names the flag's key.
  const partial = validatePartial(raw, 'flags');
  // Served model names apply to a URL from the flags or the file, so they are merged in resolveConfig.
  for (const role of ['target', 'reference'] as const) {
    const name = values[`${role}-model`];
    if (name !== undefined) partial[`${role}Model`] = name;
  }
  for (const [flag, key] of [['name', 'targetName'], ['reference-name', 'referenceName']] as const) {
    const value = values[flag];
    if (value === undefined) continue;
    if (value.trim() === '') throw new FatalError(`--${flag}: expected a name for reports, found an empty string`);
    partial[key] = value;
  }
  return partial;
}
