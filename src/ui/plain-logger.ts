/**
 * Progress as plain lines, for a non-TTY or CI (the CLI writes them to stderr): the start, a line
 * per benchmark milestone (every 10% by default, or every N samples), errors (the first few per
 * benchmark), warnings, each benchmark's result and the end. No colour, no cursor movement, and
 * every piece of text sanitized. No Ink, no React.
 */
import { specLabel } from '../models/registry.js';
import { share, signed, trafficLine, withInterval } from '../report/format.js';
import type { AuditEvent, Estimate } from '../audit/types.js';
import { formatCount, formatDuration } from './format.js';
import { currentEstimate, primaryDetector } from './sample-order.js';
import { sanitizeLogLine } from './sanitize.js';
import { elapsed, eta, initialUiState, LOGGED_ERRORS_PER_BENCHMARK, reduce, type UiState } from './state.js';

export interface PlainLoggerOptions {
  /** Print a progress line every this many samples; default: at each 10% of the benchmark. */
  readonly every?: number;
  /** Clock for elapsed and ETA; default Date.now. */
  readonly clock?: () => number;
}

export type PlainLogger = (event: AuditEvent) => void;

function estimateText(estimate: Estimate | undefined): string {
  if (!estimate) return '';
  const diff = Number.isNaN(estimate.difference.value) ? '' : ` (${signed(estimate.difference.value)} [${signed(estimate.difference.low)}, ${signed(estimate.difference.high)}])`;
  return ` · ${sanitizeLogLine(estimate.detector)} ${withInterval(estimate.contamination, estimate.interval)} control ${share(estimate.control)}${diff} ${estimate.verdict}`;
}

/** Progress bucket of `done`: a new bucket means a new line. */
function milestone(done: number, total: number, every: number | undefined): number {
  if (every !== undefined && every > 0) return Math.floor(done / every);
  return total > 0 ? Math.floor((done * 10) / total) : done;
}

/** Lines need counts and estimates only: keeping every sample record would only cost memory. */
function dropSamples(state: UiState): UiState {
  if (state.benchmarks.every((b) => b.samples.length === 0)) return state;
  return { ...state, benchmarks: state.benchmarks.map((b) => (b.samples.length === 0 ? b : { ...b, samples: [] })) };
}

/** Returns the event callback; it keeps its own UiState, so lines can say elapsed, ETA and totals. */
export function createPlainLogger(write: (line: string) => void, options: PlainLoggerOptions = {}): PlainLogger {
  const clock = options.clock ?? Date.now;
  let state: UiState = initialUiState;

  return (event) => {
    const before = state;
    const now = clock();
    state = dropSamples(reduce(state, event, now));
    const primary = primaryDetector(state.config);
    const name = (benchmark: string): string => `[${sanitizeLogLine(benchmark)}]`;

    switch (event.type) {
      case 'start': {
        const c = event.config;
        const samples = event.plan.reduce((n, p) => n + p.total, 0);
        write(
          sanitizeLogLine(
            `contam: target ${specLabel(c.target)}, reference ${specLabel(c.reference)}, mode ${c.mode}, seed ${c.seed}, detectors ${c.detectors.join(', ')}; ` +
              `${event.plan.length} benchmark${event.plan.length === 1 ? '' : 's'}, ${samples} samples`,
          ),
        );
        return;
      }
      case 'benchmark-start':
        write(`${name(event.benchmark)} started: ${event.total} samples`);
        return;
      case 'sample-done': {
        const previous = before.benchmarks.find((b) => b.name === event.benchmark)?.done ?? 0;
        const crossed =
          event.done === event.total ||
          milestone(event.done, event.total, options.every) !== milestone(previous, event.total, options.every);
        if (!crossed) return;
        const b = state.benchmarks.find((x) => x.name === event.benchmark);
        if (!b) return;
        const left = eta(b, now);
        const percent = event.total > 0 ? ` (${Math.floor((event.done * 100) / event.total)}%)` : '';
        write(
          `${name(event.benchmark)} ${event.done}/${event.total} samples${percent}` +
            ` · neighbours ${formatCount(event.neighboursScored)} scored, ${formatCount(event.neighboursSaved)} saved` +
            estimateText(currentEstimate(b, primary)) +
            ` · ${formatDuration(elapsed(b, now))}${left === undefined || b.done === b.total ? '' : `, eta ${formatDuration(left)}`}`,
        );
        return;
      }
      case 'sample-error': {
        const errors = state.benchmarks.find((b) => b.name === event.benchmark)?.errors ?? 0;
        if (errors <= LOGGED_ERRORS_PER_BENCHMARK) {
          write(`${name(event.benchmark)} error on ${sanitizeLogLine(event.sampleId)}: ${sanitizeLogLine(event.message)}`);
        }
        if (errors === LOGGED_ERRORS_PER_BENCHMARK + 1) {
          write(`${name(event.benchmark)} further sample errors are counted, not printed`);
        }
        return;
      }
      case 'benchmark-done': {
        const r = event.result;
        const b = state.benchmarks.find((x) => x.name === r.name);
        write(
          `${name(r.name)} done: ${r.samplesScored}/${r.samplesPlanned} samples scored, ${r.errors} error${r.errors === 1 ? '' : 's'}` +
            (b ? estimateText(currentEstimate(b, primary)) : '') +
            ` · ${formatDuration(r.durationMs)}`,
        );
        for (const [role, t] of [['target', state.traffic?.target], ['reference', state.traffic?.reference]] as const) {
          if (t) write(`${name(r.name)} ${role} engine: ${trafficLine(t)}`);
        }
        return;
      }
      case 'warning':
        write(`warning: ${sanitizeLogLine(event.message)}`);
        return;
      case 'done': {
        const results = event.results;
        write(
          `${results.partial ? 'audit stopped early (partial results kept)' : 'audit finished'} in ${formatDuration(results.durationMs)}: ` +
            `${results.benchmarks.length} benchmark${results.benchmarks.length === 1 ? '' : 's'}`,
        );
        return;
      }
    }
  };
}
