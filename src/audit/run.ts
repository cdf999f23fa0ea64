/**
 * The audit engine: plans benchmarks x samples, runs the models, caches per-sample results and
 * emits progress events. Nothing here knows about the terminal. Cancelling (the signal) lets the
 * sample in flight finish, then returns partial results marked as such.
 */
import { openCache, type ResultCache } from '../cache/store.js';
import { cacheKey, type CacheKey } from '../cache/key.js';
import { FatalError, errorMessage } from '../errors.js';
import type { ModelBackend } from '../models/backend.js';
import { openBackend, type ModelSpec } from '../models/registry.js';
import { loadCalibrationRates, sensitivityFor, type CalibrationRates } from '../stats/sensitivity.js';
import { version } from '../version.js';
import { benchmarkVerdict, detectorResults, labelledBaseline, runningEstimates } from './aggregate.js';
import { detectorSet, type KeyedDetector } from './detector-set.js';
import { planAudit, skippedReasons, type PlannedBenchmark } from './plan.js';
import { runSample } from './sample-work.js';
import { oneAtATime, planSeats, samplesInFlight, type SeatPlan } from './seats.js';
import { Meter } from './meter.js';
import type { AuditConfig, AuditEvent, AuditResults, BenchmarkResult, ModelInfo, SampleRecord } from './types.js';
import type { Sample } from '../benchmarks/types.js';

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

function modelInfo(model: ModelBackend, spec: ModelSpec): ModelInfo {
  const traffic = model.traffic?.();
  const info = model.info();
  return { ...info, name: spec.name ?? info.id, ...(traffic ? { traffic } : {}) };
}

/** Everything that changes a sample's numbers, except the sample itself. */
function cacheSettings(config: AuditConfig, target: ModelBackend, reference: ModelBackend, detectors: readonly KeyedDetector[], firstChunk: number) {
  const engine = (m: ModelBackend) => m.info().details.engineVersion ?? null;
  return {
    // The fingerprint covers the weights of a local model (the file variant included), and the URL,
    // served model, context length and tokenizer of an engine, whose version is recorded beside it.
    target: target.info().fingerprint,
    reference: reference.info().fingerprint,
    ...(engine(target) !== null || engine(reference) !== null ? { engines: { target: engine(target), reference: engine(reference) } } : {}),
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
    // 3: a seeded stream per neighbour row, long texts scored in segments; 4: neighbour rows and
    // chunks draw from util/random.ts, sfc32 with sha256-derived seeds, instead of mulberry32;
    // 5: a small model scores windows of at least 128 positions, not 64, so fewer texts go in
    // segments, whose float sums round differently in the last digits; 6: the scoring head sums
    // 20 positions at a time, which rounds the moments differently in the last digits; 7: its
    // chunks hold 1 MiB of logits, 5 positions of GPT-2's vocabulary, so a pass's last chunk has
    // another number of rows and may be summed by another kernel; 8: texts of one call that begin
    // alike, a sample's neighbours, feed their common tokens once and read that K/V as a past, whose
    // attention sums round differently in the last digits).
    engine: 8,
  };
}

/**
 * A detector that needs what a backend cannot give stops the audit here, before any work, in one line
 * naming the setting that would make it possible; when the detector was only in the default list it
 * is dropped instead, and the report says so.
 */
export function fitDetectors(config: AuditConfig, target: ModelBackend, reference: ModelBackend): { config: AuditConfig; notes: string[] } {
  const needing = config.detectors.filter((spec) => detectorSet([spec])[0].detector.needs.distribution);
  if (needing.length === 0) return { config, notes: [] };
  const lacking = [target, reference].find((m) => !m.capabilities.distribution);
  const costly = [target, reference].find((m) => m.capabilities.distributionCost !== undefined);
  let why: string;
  if (lacking) {
    why = lacking.capabilities.distributionHint ?? `${lacking.info().location} gives no full next-token distribution`;
    if (!config.defaultDetectors) {
      throw new FatalError(`${needing.join(', ')} needs the whole next-token distribution at every position: ${why}; or leave ${needing.join(', ')} out of --detectors`);
    }
  } else if (costly && config.defaultDetectors) {
    // Asked for by name it runs; by default it would multiply an engine audit's traffic a thousandfold.
    why = `${costly.capabilities.distributionCost}; name it in --detectors to include it`;
  } else {
    return { config, notes: [] };
  }
  const detectors = config.detectors.filter((d) => !needing.includes(d));
  return {
    config: { ...config, detectors },
    notes: [`${needing.join(', ')} left out of the default detectors: ${why}. Primary detector: ${detectors[0]}.`],
  };
}

async function openBoth(config: AuditConfig, seats: SeatPlan): Promise<[ModelBackend, ModelBackend]> {
  const options = { onnx: { ...config.onnx, threads: seats.threads, worker: seats.workers, spinning: !seats.workers }, remote: config.remote };
  const target = await openBackend(config.target, options, 'target');
  try {
    return [target, await openBackend(config.reference, options, 'reference')];
  } catch (error) {
    await target.close();
    throw error;
  }
}

export async function runAudit(requested: AuditConfig, options: RunOptions = {}): Promise<AuditOutput> {
  const emit = options.onEvent ?? (() => {});
  const started = Date.now();
  detectorSet(requested.detectors); // a bad detector spec fails here, before any data is read or model opened
  const meter = new Meter();
  const plan = await meter.timeAsync('loading', () => planAudit(requested));
  const seats = planSeats(requested);
  const [target, reference] = await openBoth(requested, seats);
  let fitted: ReturnType<typeof fitDetectors>;
  try {
    fitted = fitDetectors(requested, target, reference);
  } catch (error) {
    await Promise.all([target.close(), reference.close()]);
    throw error;
  }
  const { config, notes } = fitted;
  const detectors = detectorSet(config.detectors);
  const firstChunk = options.firstChunk ?? Math.ceil(config.cut * config.neighbours);
  const work = {
    target: oneAtATime(meter.wrap(target, 'target')),
    reference: oneAtATime(meter.wrap(reference, 'reference')),
    detectors,
    config,
    firstChunk,
    maxTokens: options.maxTokens ?? 8192,
    sideBySide: seats.sideBySide,
    meter,
    inFlight: samplesInFlight(seats, target, reference),
  };
  const cache: ResultCache<SampleRecord> | undefined = config.cache.enabled ? openCache<SampleRecord>(config.cache.dir) : undefined;
  const settings = cacheSettings(config, target, reference, detectors, firstChunk);
  const models = { target: modelInfo(target, config.target), reference: modelInfo(reference, config.reference) };
  const emitTraffic = () => {
    if (target.traffic || reference.traffic) emit({ type: 'traffic', target: target.traffic?.(), reference: reference.traffic?.() });
  };
  emit({ type: 'start', config, models, plan: plan.map((p) => ({ benchmark: p.spec.name, total: p.selection.chosen.length })) });
  for (const message of notes) emit({ type: 'warning', message });
  // An engine's requests in flight change between samples: the dashboard reads them twice a second.
  const ticker = target.traffic || reference.traffic ? setInterval(emitTraffic, 500) : undefined;
  ticker?.unref();
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
      const result = await runBenchmark(p, { work, cache, settings, emit, signal: options.signal, detectors, config, emitTraffic, calibration: loadCalibrationRates() });
      allSamples.push(...result.records);
      benchmarks.push(result.result);
      if (result.interrupted) {
        partial = true;
        break;
      }
    }
  } finally {
    clearInterval(ticker);
    for (const message of cache?.warnings() ?? []) emit({ type: 'warning', message });
    cache?.close();
    await target.close();
    await reference.close();
  }
  const finished = Date.now();
  const results: AuditResults = {
    schemaVersion: 3,
    tool: { name: 'contam', version },
    partial,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    command: options.command ?? '',
    config,
    models: { target: modelInfo(target, config.target), reference: modelInfo(reference, config.reference) },
    benchmarks,
    modelCalls: meter.calls,
    notes,
    timing: meter.timing(finished - started, seats.sideBySide),
  };
  emit({ type: 'done', results });
  return { results, samples: allSamples };
}

interface BenchmarkContext {
  readonly work: Parameters<typeof runSample>[0] & { readonly inFlight: number; readonly meter: Meter };
  readonly cache: ResultCache<SampleRecord> | undefined;
  readonly settings: Record<string, unknown>;
  readonly emit: (e: AuditEvent) => void;
  readonly signal?: AbortSignal;
  readonly detectors: readonly KeyedDetector[];
  readonly config: AuditConfig;
  readonly emitTraffic: () => void;
  /** Calibration rates for the sensitivity sentence; undefined when the file is absent. */
  readonly calibration: CalibrationRates | undefined;
}

interface Outcome {
  readonly sample: Sample;
  readonly record?: SampleRecord;
  readonly cached: boolean;
  readonly saved: number;
  readonly error?: string;
}

/** One sample from the cache or the models; a per-sample failure is a value, a FatalError rejects. */
async function sampleOutcome(sample: Sample, ctx: BenchmarkContext): Promise<Outcome> {
  const key: CacheKey = cacheKey(ctx.settings, { id: sample.id, textHash: sample.textHash });
  const hit = ctx.work.meter.time('cache', () => ctx.cache?.get(key));
  if (hit) return { sample, record: hit, cached: true, saved: 0 };
  try {
    const out = await runSample(ctx.work, sample);
    ctx.work.meter.time('cache', () => ctx.cache?.put(key, out.record));
    return { sample, record: out.record, cached: false, saved: out.saved };
  } catch (error) {
    if (error instanceof FatalError) throw error;
    return { sample, cached: false, saved: 0, error: errorMessage(error).split('\n')[0] };
  }
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
  // Several samples at once (the reference writes one item's neighbours while the target scores
  // another's; seats.ts); results are still taken, cached and reported in plan order.
  const parallel = ctx.work.inFlight;
  const inFlight: Promise<Outcome>[] = [];
  let next = 0;
  const launch = () => {
    const sample = chosen[next++];
    const outcome = sampleOutcome(sample, ctx);
    // A rejection is read in order below; this only keeps it from counting as unhandled meanwhile.
    outcome.catch(() => {});
    inFlight.push(outcome);
  };
  const fill = () => {
    while (!ctx.signal?.aborted && next < chosen.length && inFlight.length < parallel) launch();
  };
  fill();
  while (inFlight.length > 0) {
    let outcome: Outcome;
    try {
      outcome = await inFlight.shift()!;
    } catch (error) {
      // A fatal failure (server down, key refused): let what is in flight land in the cache, then stop.
      await Promise.allSettled(inFlight);
      if (error instanceof FatalError && ctx.cache) throw new FatalError(`${error.message}; finished samples are in the cache, so a rerun resumes`, error.exitCode);
      throw error;
    }
    fill();
    const { sample, record, cached } = outcome;
    if (!record) {
      errors.push(`${sample.id}: ${outcome.error}`);
      // The event carries the id separately: loggers print "error on <id>: <message>".
      ctx.emit({ type: 'sample-error', benchmark: name, sampleId: sample.id, message: outcome.error ?? '' });
      continue;
    }
    if (cached) {
      cacheHits++;
      neighboursSaved += record.neighboursTotal - record.neighboursScored;
    } else neighboursSaved += outcome.saved;
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
      estimates: ctx.work.meter.time('statistics', () => runningEstimates(records, ctx.detectors, ctx.config)),
      neighboursScored,
      neighboursSaved,
    });
    ctx.emitTraffic();
  }
  const interrupted = records.length + errors.length < chosen.length;
  const stat = <T>(step: () => T): T => ctx.work.meter.time('statistics', step);
  const baseline = stat(() => labelledBaseline(records, ctx.config));
  if (baseline?.warning) ctx.emit({ type: 'warning', message: `${name}: ${baseline.warning}` });
  const notes = [
    ...(p.selection.note ? [p.selection.note] : []),
    ...(interrupted ? [`interrupted after ${records.length + errors.length} of ${chosen.length} samples`] : []),
    ...(baseline?.warning ? [baseline.warning] : []),
  ];
  const detectors = stat(() => detectorResults(records, ctx.detectors, ctx.config));
  const verdict = stat(() => benchmarkVerdict(detectors, ctx.config));
  const primary = detectors.find((d) => d.detector === verdict.detector);
  const sensitivity = primary
    ? sensitivityFor(
        { detector: primary.detector, n: primary.samples, neighbours: ctx.config.neighbours, cut: ctx.config.cut, controlShare: primary.control.contamination, margins: ctx.config.margins, thresholds: ctx.config.thresholds },
        ctx.calibration,
      )
    : undefined;
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
    detectors,
    verdict,
    ...(sensitivity ? { sensitivity } : {}),
    ...(baseline ? { blindBaseline: baseline } : {}),
    notes,
  };
  ctx.emit({ type: 'benchmark-done', result });
  return { result, records, interrupted };
}
