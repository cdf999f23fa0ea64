/**
 * How target and reference share the machine. An engine takes concurrent calls anyway, and a local
 * model beside a served one runs while the engine works. Two local models run one after the other,
 * each on every core, unless `onnx.sideBySide` asks for them side by side: each on half the cores,
 * one call at a time, two samples in flight, so the reference draws one sample's neighbours while the
 * target scores another's. Every call gets the batches it always had, so the numbers are the same
 * either way. Side by side is not the default because it lost where it was measured: on a quiet
 * 2-vCPU EPYC the paper workload (GPT-2-small target, smaller reference) took 121 s side by side
 * against 90 s one after the other (bench/results.md); the target's scoring went from 59 to 100 s and
 * the control's from 14 to 82 s, far worse than the halved thread count alone explains. With two
 * models of one size (gpt2-mini twice, bench --quick) it was 1.36x faster, so it stays a setting.
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
  const sideBySide = local < 2 || (config.onnx.sideBySide === true && cores >= 2);
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
