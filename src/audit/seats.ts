/**
 * How target and reference share the machine. An engine takes concurrent calls anyway, and a local
 * model beside a served one runs while the engine works. Two local models run one after the other,
 * each on every core, unless `onnx.sideBySide` asks for them side by side: each in its own worker
 * thread on half the cores, one call at a time, two samples in flight, so the reference draws one
 * sample's neighbours while the target scores another's. Every call gets the batches it always had,
 * so the numbers are the same either way. The workers are what makes it side by side:
 * onnxruntime-node computes a pass on the thread that calls `run`, so two models in one thread took
 * turns, and this mode only halved their threads (CPU time 1.05 of wall time; models/onnx/worker-backend.ts).
 * Measured on a 2-vCPU EPYC, twelve ARC items with 100 neighbours each: gpt2-mini as both models took
 * 9.3-9.5 s side by side in workers, 12.0-13.0 s side by side in one thread, 10.7-10.8 s one after the
 * other. It is still not the default: where the target's scoring dominates, as in the paper's shape
 * (GPT-2-small target, gpt2-mini reference: three ARC items, 21.8 s one after the other, 29.0 s side
 * by side), one core scores GPT-2 small 1.85x slower than two, and the reference has too little to
 * do beside it.
 */
import { availableParallelism } from 'node:os';
import type { ModelBackend } from '../models/backend.js';
import { isRemote, type ModelSpec } from '../models/registry.js';

export interface SeatPlan {
  /** The two seats' calls go out together (Promise.all) instead of one after the other. */
  readonly sideBySide: boolean;
  /** onnxruntime threads for each local model; undefined: every core. */
  readonly threads?: number;
  /** Two local models side by side: each in its own worker thread, so their passes really overlap. */
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
  const shared = local === 2 && sideBySide ? Math.max(1, Math.floor(cores / 2)) : undefined;
  const threads = config.onnx.threads ?? shared;
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
