/** Loading every benchmark and picking its samples: the audit's plan, also what --dry-run prints. */
import { loadBenchmark, selectSamples, type LoadedBenchmark, type Selection } from '../benchmarks/index.js';
import { FatalError } from '../errors.js';
import type { BenchmarkSpec, PlanConfig } from './types.js';

export interface PlannedBenchmark {
  readonly spec: BenchmarkSpec;
  readonly loaded: LoadedBenchmark;
  readonly selection: Selection;
}

export async function planAudit(config: Pick<PlanConfig, 'benchmarks' | 'strict' | 'mode' | 'samples' | 'seed' | 'sampling'>): Promise<PlannedBenchmark[]> {
  const planned: PlannedBenchmark[] = [];
  for (const spec of config.benchmarks) {
    const loaded = await loadBenchmark({
      task: spec.task,
      path: spec.path,
      split: spec.split,
      strict: config.strict,
      options: { compat: config.mode === 'compat', name: spec.name, ...spec.options },
    });
    if (loaded.samples.length === 0) throw noValidRows(spec.name, loaded);
    const selection = selectSamples(loaded.samples, {
      n: config.samples,
      seed: config.seed,
      sampling: config.sampling,
    });
    planned.push({ spec, loaded, selection });
  }
  return planned;
}

/** An audit of nothing would report "unknown" and exit 0: a benchmark without one valid row is an input error. */
function noValidRows(name: string, loaded: LoadedBenchmark): FatalError {
  const first = loaded.skipped[0];
  const why = first ? `: ${loaded.skipped.length} of ${loaded.rowsRead} rows skipped (first: ${first.file} ${first.location}: ${first.reason})` : ' (no rows read)';
  return new FatalError(`${name}: no valid rows in ${loaded.files.join(', ')}${why}`);
}

/** Skip reasons grouped for the report: the message without its file and line. */
export function skippedReasons(loaded: LoadedBenchmark): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of loaded.skipped) counts.set(row.reason, (counts.get(row.reason) ?? 0) + 1);
  return [...counts.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}
