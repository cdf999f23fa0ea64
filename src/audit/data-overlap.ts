/**
 * `contam audit --overlap overlap.json`: the data side (a `contam overlap` scan of the training
 * corpus) beside the model side, per benchmark, matched by name. The file is read and checked
 * before the audit starts, so a wrong path or a scan of other benchmarks fails in a second.
 */
import { readFileSync } from 'node:fs';
import { FatalError, errorMessage } from '../errors.js';
import { describeValue } from '../benchmarks/sources/describe-value.js';
import type { BenchmarkResult, BenchmarkSpec, DataOverlap } from './types.js';

/** What the audit takes from one benchmark of overlap.json. */
interface ScannedBenchmark {
  readonly benchmark: string;
  readonly task: string;
  readonly checked: readonly string[];
  readonly items: number;
  readonly checkable: number;
  readonly found: number;
  readonly share: { readonly estimate: number; readonly low: number; readonly high: number };
  readonly probes?: { readonly perItem: number; readonly found: number; readonly share: { readonly estimate: number; readonly low: number; readonly high: number } };
}

export interface LoadedOverlap {
  readonly file: string;
  readonly ngram: number;
  readonly benchmarks: ReadonlyMap<string, ScannedBenchmark>;
}

const EXPECTED = 'expected an overlap.json written by contam overlap (or contam overlap merge)';

function fail(file: string, field: string, found: unknown, expected: string): never {
  throw new FatalError(`--overlap ${file}: field ${field}: expected ${expected}, found ${describeValue(found)}`);
}

function num(file: string, obj: Record<string, unknown>, field: string, path: string): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(file, `${path}.${field}`, v, 'a number >= 0');
  return v;
}

function object(file: string, v: unknown, path: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(file, path, v, 'an object');
  return v as Record<string, unknown>;
}

function proportion(file: string, v: unknown, path: string): ScannedBenchmark['share'] {
  const o = object(file, v, path);
  // The estimate is NaN (JSON null) when nothing was checkable; the interval is then [0, 1].
  const estimate = o.estimate === null ? NaN : num(file, o, 'estimate', path);
  return { estimate, low: num(file, o, 'low', path), high: num(file, o, 'high', path) };
}

function benchmarkOf(file: string, v: unknown, path: string): ScannedBenchmark {
  const b = object(file, v, path);
  if (typeof b.benchmark !== 'string' || b.benchmark === '') fail(file, `${path}.benchmark`, b.benchmark, 'a benchmark name');
  if (typeof b.task !== 'string') fail(file, `${path}.task`, b.task, 'a task name');
  if (!Array.isArray(b.checked) || !b.checked.every((c) => typeof c === 'string')) fail(file, `${path}.checked`, b.checked, 'a list of field names');
  const items = num(file, b, 'items', path);
  const checkable = num(file, b, 'checkable', path);
  const found = num(file, b, 'found', path);
  if (checkable > items) fail(file, `${path}.checkable`, checkable, `at most items (${items})`);
  if (found > checkable) fail(file, `${path}.found`, found, `at most checkable (${checkable})`);
  const out = { benchmark: b.benchmark, task: b.task, checked: b.checked as string[], items, checkable, found, share: proportion(file, b.share, `${path}.share`) };
  if (b.probes === undefined) return out;
  const p = object(file, b.probes, `${path}.probes`);
  return { ...out, probes: { perItem: num(file, p, 'perItem', `${path}.probes`), found: num(file, p, 'found', `${path}.probes`), share: proportion(file, p.share, `${path}.probes.share`) } };
}

/** Reads and checks overlap.json against the audit's benchmarks (same name must mean same task). */
export function loadOverlap(file: string, specs: readonly BenchmarkSpec[]): LoadedOverlap {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FatalError(`--overlap ${file}: cannot read this file (${errorMessage(error)}); ${EXPECTED}`);
  }
  const root = object(file, raw, '(top level)');
  if (root.schemaVersion !== 1) fail(file, 'schemaVersion', root.schemaVersion, `1 (${EXPECTED})`);
  const run = object(file, root.run, 'run');
  if (run.shard !== undefined) fail(file, 'run.shard', run.shard, 'a whole run: merge the shard outputs first with contam overlap merge');
  const ngram = num(file, object(file, root.convention, 'convention'), 'ngram', 'convention');
  if (!Array.isArray(root.benchmarks)) fail(file, 'benchmarks', root.benchmarks, 'a list of benchmarks');
  const benchmarks = new Map<string, ScannedBenchmark>();
  root.benchmarks.forEach((v, i) => {
    const b = benchmarkOf(file, v, `benchmarks[${i}]`);
    const spec = specs.find((s) => s.name === b.benchmark);
    if (spec && spec.task !== b.task) fail(file, `benchmarks[${i}].task`, b.task, `"${spec.task}", the task of the audited benchmark "${spec.name}"`);
    benchmarks.set(b.benchmark, b);
  });
  if (specs.length > 0 && !specs.some((s) => benchmarks.has(s.name))) {
    const names = [...benchmarks.keys()];
    fail(file, 'benchmarks[].benchmark', names.length > 0 ? names.join(', ') : [], `one of the audited benchmarks' names (${specs.map((s) => s.name).join(', ')})`);
  }
  return { file, ngram, benchmarks };
}

/** The audit's benchmark rows with the data side attached; a benchmark the scan did not cover says so. */
export function withDataOverlap(rows: readonly BenchmarkResult[], overlap: LoadedOverlap): BenchmarkResult[] {
  return rows.map((row) => {
    const b = overlap.benchmarks.get(row.name);
    if (!b) return { ...row, dataOverlap: { scanned: false, file: overlap.file } };
    const data: DataOverlap = {
      scanned: true,
      file: overlap.file,
      ngram: overlap.ngram,
      checked: b.checked,
      items: b.items,
      checkable: b.checkable,
      found: b.found,
      share: b.share.estimate,
      interval: { low: b.share.low, high: b.share.high },
      coverage: b.items > 0 ? b.checkable / b.items : NaN,
      ...(b.probes ? { probes: { perItem: b.probes.perItem, found: b.probes.found, share: b.probes.share.estimate, interval: { low: b.probes.share.low, high: b.probes.share.high } } } : {}),
    };
    return { ...row, dataOverlap: data };
  });
}
