/** The benchmarks layer's public surface: load, sample, describe the plan. */
export { loadBenchmark, selectSamples, listTasks, formatLocation } from './load.js';
export type { LoadOptions, LoadedBenchmark, SelectOptions, Selection, TaskListing } from './load.js';
export { describePlan } from './plan.js';
export type { PlanEntry, PlanJson } from './plan.js';
export { chooseSamples, pythonShuffledIndices, SAMPLING_METHODS } from './sampling.js';
export type { SamplingMethod } from './sampling.js';
export { PythonRandom } from './mt19937.js';
export { getTask, TASKS } from './tasks/registry.js';
export type * from './types.js';
