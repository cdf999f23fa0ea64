/**
 * How target and reference share the machine. An engine takes concurrent calls anyway, and a local
 * model beside a served one runs while the engine works. Two local models run one after the other,
 * each on every core, unless `onnx.sideBySide` asks for them side by side: each in its own worker
 * thread, one call at a time, two samples in flight, so the reference draws one sample's neighbours
 * while the target scores another's. Every call gets the batches it always had, so the numbers are
 * the same either way. The workers are what makes it side by side: onnxruntime-node computes a pass
 * on the thread that calls `run`, so two models in one thread took turns (CPU time 1.05 of wall
 * time; models/onnx/worker-backend.ts).
 *
 * Side by side, each model keeps every core and onnxruntime's pool threads do not spin while they
 * wait, so whichever model has work gets the cores the other is not using. With half the cores each
 * (until 2026-12-07) the mode lost wherever the target's scoring dominates, as in the paper's shape:
 * one core scores GPT-2 small 1.85x slower than two, and the reference has too little to do beside
 * it. The paper workload (GPT-2-small target, gpt2-mini reference, 4 benchmarks x 3 items, 100
 * neighbours; 2-vCPU EPYC, interleaved runs) took 72.9-74.0 s this way against 69.4-85.2 s one after
 * the other (median 79.2); every core with spinning on took 90 s, and one after the other with
 * spinning off 74.6 and 92.4 s. With half the cores each, a bench run of the same shape took 103 s
 * against 71 s one after the other (bench/results.md). One after the other already keeps 1.9 of the 2
 * cores busy (process CPU time over wall time), so there is little idle time left to fill, and this
 * stays opt-in until a host with more idle time shows it winning by more than the noise.
 */
import { availableParallelism } from 'node:os';
import type { ModelBackend } from '../models/backend.js';
import { isRemote, type ModelSpec } from '../models/registry.js';

export interface SeatPlan {
  /** The two seats' calls go out together (Promise.all) instead of one after the other. */
  readonly sideBySide: boolean;
  /** onnxruntime threads for each local model; undefined: every core. */
  readonly threads?: number;
  /** Two local models side by side: each in its own worker thread (their passes really overlap), without spinning. */
  readonly workers: boolean;
}

interface SeatConfig {
  readonly target: ModelSpec;
  readonly reference: ModelSpec;
  readonly onnx: { readonly threads?: number; readonly sideBySide?: boolean };
}

export function planSeats(config: SeatConfig, cores = availableParallelism()): SeatPlan {
  const local = [config.target, config.reference].filter((m) => !isRemote(m)).length;
  const sideBySide = local < 2 || (config.onnx.sideBySide === true && cores >= 2);
  const threads = config.onnx.threads;
  return { sideBySide, workers: local === 2 && sideBySide, ...(threads !== undefined ? { threads } : {}) };
}

/** Samples in flight: an engine pair takes several; two local models side by side take two. */
export function samplesInFlight(plan: SeatPlan, target: ModelBackend, reference: ModelBackend): number {
  const engines = Math.min(target.capabilities.parallelSamples, reference.capabilities.parallelSamples);
  if (engines > 1) return engines;
  return plan.sideBySide ? 2 : 1;
}

/**
 * Queues a model's score and sample calls so one runs at a time: a local model's session has its
 * threads, and two calls at once would only split them (and hold two working sets).
 */
export function oneAtATime(model: ModelBackend): ModelBackend {
  if (model.capabilities.parallelSamples > 1) return model;
  let tail: Promise<unknown> = Promise.resolve();
  const queued = <T>(call: () => Promise<T>): Promise<T> => {
    const run = tail.then(call, call);
    tail = run.catch(() => {});
    return run;
  };
  return {
    ...model,
    score: (ids, options) => queued(() => model.score(ids, options)),
    sample: (prefix, options) => queued(() => model.sample(prefix, options)),
  };
}
