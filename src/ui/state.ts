/**
 * The dashboard's state, built from AuditEvents by a pure reducer. The same state serves the live
 * table and the drill-down, so sample records are kept after their benchmark finishes. No React,
 * no Ink: the CLI and tests can use it on any path.
 */
import type { Traffic } from '../models/backend.js';
import type {
  AuditConfig,
  AuditEvent,
  AuditResults,
  BenchmarkResult,
  Estimate,
  SampleRecord,
} from '../audit/types.js';

/** How many per-sample error messages a benchmark logs before only counting them. */
export const LOGGED_ERRORS_PER_BENCHMARK = 3;

export interface BenchmarkProgress {
  readonly name: string;
  readonly total: number;
  readonly done: number;
  /** Samples answered from the cache (they make the rate look faster than scoring is). */
  readonly cached: number;
  readonly neighboursScored: number;
  /** Neighbours skipped thanks to exact early stopping. */
  readonly neighboursSaved: number;
  /** Epoch ms of benchmark-start (or of its first sample when the start event was missed). */
  readonly startedAt?: number;
  readonly finishedAt?: number;
  /** Latest running estimate per detector, as the audit sent them. */
  readonly estimates: readonly Estimate[];
  readonly errors: number;
  readonly finished: boolean;
  readonly result?: BenchmarkResult;
  /** Every scored sample, in arrival order; the drill-down sorts its own copy. */
  readonly samples: readonly SampleRecord[];
}

/**
 * One line for the permanent log above the live frame (rendered once in Ink's <Static>): what the
 * frame does not show. A finished benchmark is not logged: its row stays in the frame, and a second
 * copy above it showed every result twice.
 */
export type LogEntry =
  | { readonly id: number; readonly kind: 'warning'; readonly message: string }
  | { readonly id: number; readonly kind: 'sample-error'; readonly benchmark: string; readonly sampleId: string; readonly message: string };

export interface UiState {
  readonly config?: AuditConfig;
  readonly models?: AuditResults['models'];
  readonly benchmarks: readonly BenchmarkProgress[];
  readonly log: readonly LogEntry[];
  readonly warnings: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  /** The 'done' event arrived: the audit is over (possibly partial), `q` may quit. */
  readonly done: boolean;
  readonly results?: AuditResults;
  /** Engine traffic per model (remote backends only), and when it was read. */
  readonly traffic?: { readonly target?: Traffic; readonly reference?: Traffic; readonly at: number };
}

export const initialUiState: UiState = { benchmarks: [], log: [], warnings: 0, done: false };

function emptyBenchmark(name: string, total: number): BenchmarkProgress {
  return { name, total, done: 0, cached: 0, neighboursScored: 0, neighboursSaved: 0, estimates: [], errors: 0, finished: false, samples: [] };
}

/** Applies `change` to the named benchmark, creating it if the plan did not announce it. */
function updateBenchmark(
  state: UiState,
  name: string,
  change: (benchmark: BenchmarkProgress) => BenchmarkProgress,
): readonly BenchmarkProgress[] {
  const index = state.benchmarks.findIndex((b) => b.name === name);
  if (index === -1) return [...state.benchmarks, change(emptyBenchmark(name, 0))];
  return state.benchmarks.map((b, i) => (i === index ? change(b) : b));
}

function appendLog(state: UiState, entry: DistributiveOmit<LogEntry, 'id'>): readonly LogEntry[] {
  return [...state.log, { ...entry, id: state.log.length } as LogEntry];
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

function finishWith(benchmark: BenchmarkProgress, result: BenchmarkResult, now: number): BenchmarkProgress {
  return {
    ...benchmark,
    finished: true,
    finishedAt: benchmark.finishedAt ?? now,
    result,
    total: benchmark.total || result.samplesPlanned,
    done: Math.max(benchmark.done, result.samplesScored),
    errors: Math.max(benchmark.errors, result.errors),
    neighboursScored: result.neighboursScored,
    neighboursSaved: result.neighboursSaved,
  };
}

/** `now` is injectable so tests (and replays) get exact timings. */
export function reduce(state: UiState, event: AuditEvent, now: number = Date.now()): UiState {
  switch (event.type) {
    case 'traffic':
      return { ...state, traffic: { target: event.target, reference: event.reference, at: now } };
    case 'start':
      return {
        ...state,
        config: event.config,
        models: event.models,
        startedAt: state.startedAt ?? now,
        benchmarks: event.plan.map(
          (p) => state.benchmarks.find((b) => b.name === p.benchmark) ?? emptyBenchmark(p.benchmark, p.total),
        ),
      };
    case 'benchmark-start':
      return {
        ...state,
        benchmarks: updateBenchmark(state, event.benchmark, (b) => ({ ...b, total: event.total, startedAt: b.startedAt ?? now })),
      };
    case 'sample-done':
      return {
        ...state,
        benchmarks: updateBenchmark(state, event.benchmark, (b) => ({
          ...b,
          startedAt: b.startedAt ?? now,
          total: event.total,
          done: event.done,
          cached: b.cached + (event.cached ? 1 : 0),
          estimates: event.estimates,
          neighboursScored: event.neighboursScored,
          neighboursSaved: event.neighboursSaved,
          samples: [...b.samples, event.sample],
        })),
      };
    case 'sample-error': {
      const before = state.benchmarks.find((b) => b.name === event.benchmark)?.errors ?? 0;
      return {
        ...state,
        benchmarks: updateBenchmark(state, event.benchmark, (b) => ({ ...b, errors: b.errors + 1 })),
        log:
          before < LOGGED_ERRORS_PER_BENCHMARK
            ? appendLog(state, { kind: 'sample-error', benchmark: event.benchmark, sampleId: event.sampleId, message: event.message })
            : state.log,
      };
    }
    case 'benchmark-done':
      return {
        ...state,
        benchmarks: updateBenchmark(state, event.result.name, (b) => finishWith(b, event.result, now)),
      };
    case 'warning':
      return { ...state, warnings: state.warnings + 1, log: appendLog(state, { kind: 'warning', message: event.message }) };
    case 'done': {
      // A result the audit reported only in the final payload still counts as finished; on a
      // partial (cancelled) run, benchmarks without a result stay unfinished.
      let benchmarks = state.benchmarks;
      for (const result of event.results.benchmarks) {
        const known = benchmarks.find((b) => b.name === result.name);
        if (known?.finished) continue;
        benchmarks = updateBenchmark({ ...state, benchmarks }, result.name, (b) => finishWith(b, result, now));
      }
      return { ...state, benchmarks, done: true, finishedAt: now, results: event.results };
    }
  }
}

/**
 * Milliseconds left for a benchmark at its average pace so far; undefined before the first sample
 * (no pace yet), 0 once finished.
 */
export function eta(
  progress: Pick<BenchmarkProgress, 'done' | 'total' | 'startedAt' | 'finished'>,
  now: number,
): number | undefined {
  if (progress.finished) return 0;
  if (progress.startedAt === undefined || progress.done <= 0) return undefined;
  const elapsed = Math.max(0, now - progress.startedAt);
  return (elapsed / progress.done) * Math.max(0, progress.total - progress.done);
}

/** Elapsed ms: frozen at finish, running otherwise; 0 before the benchmark starts. */
export function elapsed(progress: Pick<BenchmarkProgress, 'startedAt' | 'finishedAt'>, now: number): number {
  if (progress.startedAt === undefined) return 0;
  return Math.max(0, (progress.finishedAt ?? now) - progress.startedAt);
}
