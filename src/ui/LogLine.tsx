import { Text } from 'ink';
import { formatDuration, formatInterval, formatPercent } from './format.js';
import { currentEstimate } from './sample-order.js';
import { sanitizeForTerminal } from './sanitize.js';
import { elapsed, type BenchmarkProgress, type LogEntry } from './state.js';
import { verdictColor, verdictLabel } from './verdict-style.js';

export interface LogLineProps {
  readonly entry: LogEntry;
  /** The finished benchmark, for a 'benchmark-done' entry. */
  readonly benchmark?: BenchmarkProgress;
  readonly primary?: string;
}

/**
 * One permanent line above the live frame (printed once through <Static>, so it stays in the
 * terminal's scrollback after exit): a finished benchmark's result, a warning, or an error.
 */
export function LogLine({ entry, benchmark, primary }: LogLineProps) {
  switch (entry.kind) {
    case 'warning':
      return (
        <Text color="yellow" wrap="truncate">
          {`warning: ${sanitizeForTerminal(entry.message)}`}
        </Text>
      );
    case 'sample-error':
      return (
        <Text color="red" wrap="truncate">
          {`error: ${sanitizeForTerminal(entry.benchmark)} ${sanitizeForTerminal(entry.sampleId)}: ${sanitizeForTerminal(entry.message)}`}
        </Text>
      );
    case 'benchmark-done': {
      const estimate = benchmark ? currentEstimate(benchmark, primary) : undefined;
      return (
        <Text wrap="truncate">
          <Text color="green">✓ </Text>
          <Text bold>{sanitizeForTerminal(entry.benchmark)}</Text>
          {benchmark ? <Text dimColor>{`  ${benchmark.done}/${benchmark.total} samples  ${formatDuration(benchmark.result?.durationMs ?? elapsed(benchmark, benchmark.finishedAt ?? 0))}`}</Text> : null}
          {estimate ? (
            <>
              <Text>{`  ${sanitizeForTerminal(estimate.detector)} ${formatPercent(estimate.contamination)} ${formatInterval(estimate.interval)}`}</Text>
              <Text dimColor>{`  control ${formatPercent(estimate.control)}  `}</Text>
              <Text color={verdictColor(estimate.verdict)} bold>{verdictLabel(estimate.verdict)}</Text>
            </>
          ) : null}
        </Text>
      );
    }
  }
}
