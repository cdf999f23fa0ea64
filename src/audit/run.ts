/**
 * The audit engine: plans benchmarks x samples, runs the models, caches per-sample results and
 * emits progress events. Nothing here knows about the terminal. Cancelling (the signal) lets the
 * sample in flight finish, then returns partial results marked as such.
 */
import { openCache, type ResultCache } from '../cache/store.js';
import { cacheKey, type CacheKey } from '../cache/key.js';
import { errorMessage } from '../errors.js';
import { openModel, type OpenedModel } from '../models/onnx/open.js';
import { version } from '../version.js';
import { detectorResults, runningEstimates } from './aggregate.js';
import { detectorSet, type KeyedDetector } from './detector-set.js';
import { planAudit, skippedReasons, type PlannedBenchmark } from './plan.js';
import { runSample } from './sample-work.js';
import type { AuditConfig, AuditEvent, AuditResults, BenchmarkResult, ModelInfo, SampleRecord } from './types.js';

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: AuditEvent) => void;
  /** The command line, for the reproducibility block. */
  readonly command?: string;
  /** Neighbours in a sample's first sampling call (default ceil(cut x neighbours)); later calls double. */
  readonly firstChunk?: number;
  readonly maxTokens?: number;
}

export interface AuditOutput {
  readonly results: AuditResults;
  readonly samples: SampleRecord[];
}

/** Counts model calls, so a rerun served from the cache can prove it made none. */
function counted(model: OpenedModel, counter: { calls: number }): OpenedModel {
  return {
    ...model,
    tokenizer: model.tokenizer,
    scoreIds: (ids) => (counter.calls++, model.scoreIds(ids)),
    sampleIds: (prefix, o) => (counter.calls++, model.sampleIds(prefix, o)),
  };
}

function modelInfo(model: OpenedModel): ModelInfo {
  return { id: model.id, path: model.files.dir, fingerprint: model.fingerprint, layout: model.files.layout, dtype: model.files.dtype };
}

/** Everything that changes a sample's numbers, except the sample itself. */
function cacheSettings(config: AuditConfig, target: OpenedModel, reference: OpenedModel, detectors: readonly KeyedDetector[], firstChunk: number) {
  return {
    target: target.fingerprint,
    reference: reference.fingerprint,
    dtype: config.dtype ?? null,
    detectors: detectors.map((d) => ({ key: d.key, id: d.detector.id, version: d.detector.version, params: d.detector.params })),
    mode: config.mode,
    seed: config.seed,
    neighbours: config.neighbours,
    prefixRatio: config.prefixRatio,
    cut: config.cut,
    earlyStop: config.earlyStop,
    // Which neighbours are drawn depends on the chunk schedule (per-chunk seeds).
    chunks: { first: firstChunk, then: 'doubling' },
    // Bumped whenever the engine computes a number differently (2: ties count half in fixed mode;
    // 3: a seeded stream per neighbour row, long texts scored in segments).
    engine: 3,
  };
}

export async function runAudit(config: AuditConfig, options: RunOptions = {}): Promise<AuditOutput> {
  const emit = options.onEvent ?? (() => {});
  const started = Date.now();
  const detectors = detectorSet(config.detectors);
  const plan = await planAudit(config);
  const counter = { calls: 0 };
  const target = await openModel(config.target, { dtype: config.dtype, batchSize: config.batchSize });
  let reference: OpenedModel;
  try {
    reference = await openModel(config.reference, { dtype: config.dtype, batchSize: config.batchSize });
  } catch (error) {
    await target.close();
    throw error;
  }
  const firstChunk = options.firstChunk ?? Math.ceil(config.cut * config.neighbours);
  const work = {
    target: counted(target, counter),
    reference: counted(reference, counter),
    detectors,
    config,
    firstChunk,
    maxTokens: options.maxTokens ?? 8192,
  };
  const cache: ResultCache<SampleRecord> | undefined = config.cache.enabled ? openCache<SampleRecord>(config.cache.dir) : undefined;
  const settings = cacheSettings(config, target, reference, detectors, firstChunk);
  const models = { target: modelInfo(target), reference: modelInfo(reference) };
  emit({ type: 'start', config, models, plan: plan.map((p) => ({ benchmark: p.spec.name, total: p.selection.chosen.length })) });
  for (const p of plan) {
    if (p.selection.note) emit({ type: 'warning', message: `${p.spec.name}: ${p.selection.note}` });
    if (p.loaded.skipped.length) emit({ type: 'warning', message: `${p.spec.name}: ${p.loaded.skipped.length} rows skipped (first: ${p.loaded.skipped[0].message})` });
  }

  const allSamples: SampleRecord[] = [];
  const benchmarks: BenchmarkResult[] = [];
  let partial = false;
  try {
    for (const p of plan) {
      if (options.signal?.aborted) {
        partial = true;
        break;
      }
      const result = await runBenchmark(p, { work, cache, settings, emit, signal: options.signal, detectors, config });
      allSamples.push(...result.records);
      benchmarks.push(result.result);
      if (result.interrupted) {
        partial = true;
        break;
      }
    }
  } finally {
    for (const message of cache?.warnings() ?? []) emit({ type: 'warning', message });
    cache?.close();
    await target.close();
    await reference.close();
  }
  const finished = Date.now();
  const results: AuditResults = {
    schemaVersion: 1,
    tool: { name: 'contam', version },
    partial,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    command: options.command ?? '',
    config,
    models,
    benchmarks,
    modelCalls: counter.calls,
  };
  emit({ type: 'done', results });
  return { results, samples: allSamples };
}

interface BenchmarkContext {
  readonly work: Parameters<typeof runSample>[0];
  readonly cache: ResultCache<SampleRecord> | undefined;
  readonly settings: Record<string, unknown>;
  readonly emit: (e: AuditEvent) => void;
  readonly signal?: AbortSignal;
  readonly detectors: readonly KeyedDetector[];
  readonly config: AuditConfig;
}

async function runBenchmark(p: PlannedBenchmark, ctx: BenchmarkContext) {
  const name = p.spec.name;
  const chosen = p.selection.chosen;
  const started = Date.now();
  ctx.emit({ type: 'benchmark-start', benchmark: name, total: chosen.length });
  const records: SampleRecord[] = [];
  const errors: string[] = [];
  let cacheHits = 0;
  let neighboursScored = 0;
  let neighboursSaved = 0;
  let interrupted = false;
  for (const sample of chosen) {
    if (ctx.signal?.aborted) {
      interrupted = true;
      break;
    }
    const key: CacheKey = cacheKey(ctx.settings, { id: sample.id, textHash: sample.textHash });
    let record = ctx.cache?.get(key);
    const cached = record !== undefined;
    if (record) {
      cacheHits++;
      neighboursSaved += record.neighboursTotal - record.neighboursScored;
    } else {
      try {
        const out = await runSample(ctx.work, sample);
        record = out.record;
        neighboursSaved += out.saved;
        ctx.cache?.put(key, record);
      } catch (error) {
        const message = errorMessage(error).split('\n')[0];
        errors.push(`${sample.id}: ${message}`);
        // The event carries the id separately: loggers print "error on <id>: <message>".
        ctx.emit({ type: 'sample-error', benchmark: name, sampleId: sample.id, message });
        continue;
      }
    }
    // Cache hits cost no model calls, but their neighbours still count as scored for this audit.
    neighboursScored += record.neighboursScored;
    records.push(record);
    ctx.emit({
      type: 'sample-done',
      benchmark: name,
      sample: record,
      done: records.length + errors.length,
      total: chosen.length,
      cached,
      estimates: runningEstimates(records, ctx.detectors, ctx.config),
      neighboursScored,
      neighboursSaved,
    });
  }
  const notes = [
    ...(p.selection.note ? [p.selection.note] : []),
    ...(interrupted ? [`interrupted after ${records.length + errors.length} of ${chosen.length} samples`] : []),
  ];
  const result: BenchmarkResult = {
    name,
    task: p.spec.task,
    source: p.spec.path,
    split: p.loaded.split,
    rowsRead: p.loaded.rowsRead,
    skipped: p.loaded.skipped.length,
    skippedReasons: skippedReasons(p.loaded),
    samplesPlanned: chosen.length,
    samplesScored: records.length,
    errors: errors.length,
    errorMessages: errors.slice(0, 20),
    cacheHits,
    neighboursScored,
    neighboursSaved,
    durationMs: Date.now() - started,
    detectors: detectorResults(records, ctx.detectors, ctx.config),
    notes,
  };
  ctx.emit({ type: 'benchmark-done', result });
  return { result, records, interrupted };
}
