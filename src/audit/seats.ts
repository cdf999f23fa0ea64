/**
 * How target and reference share the machine. An engine takes concurrent calls anyway. Two local
 * models run side by side, each on half the cores and one call at a time: while the target scores
 * one sample's neighbours, the reference draws the next sample's. On two cores one thread per model
 * does more work than two threads taking turns (bench/: onnxruntime's MatMul gains about 1.3x from a
 * second thread, a second model gains nearly 2x), and every call gets the batches it always had, so
 * the numbers are the same either way.
 */
import { availableParallelism } from 'node:os';
import type { ModelBackend } from '../models/backend.js';
import { isRemote, type ModelSpec } from '../models/registry.js';

export interface SeatPlan {
  /** The two seats' calls go out together (Promise.all) instead of one after the other. */
  readonly sideBySide: boolean;
  /** onnxruntime threads for each local model; undefined: every core. */
  readonly threads?: number;
}

interface SeatConfig {
  readonly target: ModelSpec;
  readonly reference: ModelSpec;
  readonly onnx: { readonly threads?: number; readonly sideBySide?: boolean };
}

export function planSeats(config: SeatConfig, cores = availableParallelism()): SeatPlan {
  const local = [config.target, config.reference].filter((m) => !isRemote(m)).length;
  const sideBySide = local === 0 || (config.onnx.sideBySide !== false && cores >= 2);
  const shared = local === 2 && sideBySide ? Math.max(1, Math.floor(cores / 2)) : undefined;
  const threads = config.onnx.threads ?? shared;
  return { sideBySide, ...(threads !== undefined ? { threads } : {}) };
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
