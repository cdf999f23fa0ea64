import { Box, Text } from 'ink';
import type { Estimate, Margins, Thresholds } from '../audit/types.js';
import { share, signed } from '../report/format.js';
import { contaminationGauge, progressBar } from './bars.js';
import { fit, formatCount, formatDuration } from './format.js';
import { currentEstimate } from './sample-order.js';
import { sanitizeForTerminal } from './sanitize.js';
import { elapsed, eta, type BenchmarkProgress } from './state.js';
import { verdictColor, verdictLabel } from './verdict-style.js';

export interface BenchmarkRowProps {
  readonly benchmark: BenchmarkProgress;
  /** Detector whose estimate the row shows (the first configured one). */
  readonly primary?: string;
  /** Marked on the gauge; the verdict itself comes from the audit's estimate. */
  readonly thresholds?: Thresholds;
  /** Fixed mode: the relative verdict's margins (the gauge then marks control + margin). */
  readonly margins?: Margins;
  readonly selected: boolean;
  /** Epoch ms for elapsed and ETA. */
  readonly now: number;
  /** Terminal width; the bars take what the fixed columns leave. */
  readonly columns: number;
  /** Width of the name column, shared by all rows so they align. */
  readonly nameWidth: number;
}

// Fixed columns of line 1 after the bar: " 1234/5678" + "  nbrs 12.3k saved 45.6k" + "  12m05s eta 3m20s".
const COUNT_WIDTH = 10;
const NEIGHBOURS_WIDTH = 25;
const TIME_WIDTH = 19;
const PREFIX_WIDTH = 4;
// Room for "  12 err" when a benchmark has per-sample errors.
const ERRORS_WIDTH = 8;

/** Bar width for a terminal width; never below 6 so a narrow terminal still shows something. */
export function barWidth(columns: number, nameWidth: number): number {
  return Math.min(40, Math.max(6, columns - PREFIX_WIDTH - nameWidth - 1 - COUNT_WIDTH - NEIGHBOURS_WIDTH - TIME_WIDTH - ERRORS_WIDTH));
}

/**
 * One benchmark in two lines. Line 1: progress (bar, done/total, neighbours scored and saved by
 * early stopping, elapsed and ETA). Line 2: the primary detector's live contamination on a 0-100%
 * gauge with the thresholds marked (┆ suspicious, ┃ contaminated), the % with its interval, the
 * control %, and the verdict in green / yellow / red.
 */
/**
 * Where the gauge marks its two lines: the absolute thresholds in compat mode; in fixed mode the
 * control's share plus each margin, the shares the target must pass for the relative verdict.
 */
function gaugeMarks(estimate: Estimate | undefined, thresholds: Thresholds | undefined, margins: Margins | undefined): Thresholds | undefined {
  if (!margins) return thresholds;
  if (!estimate || Number.isNaN(estimate.control)) return undefined;
  return { suspicious: Math.min(1, estimate.control + margins.suspicious), contaminated: Math.min(1, estimate.control + margins.contaminated) };
}

export function BenchmarkRow({ benchmark, primary, thresholds, margins, selected, now, columns, nameWidth }: BenchmarkRowProps) {
  const width = barWidth(columns, nameWidth);
  const estimate = currentEstimate(benchmark, primary);
  const marks = gaugeMarks(estimate, thresholds, margins);
  const colour = estimate ? verdictColor(estimate.verdict) : undefined;
  const remaining = eta(benchmark, now);
  const time = benchmark.finished
    ? `${formatDuration(benchmark.result?.durationMs ?? elapsed(benchmark, now))} done`
    : benchmark.startedAt === undefined
      ? 'queued'
      : `${formatDuration(elapsed(benchmark, now))} eta ${remaining === undefined ? '–' : formatDuration(remaining)}`;
  const status = benchmark.finished ? '✓' : benchmark.startedAt === undefined ? '·' : '›';
  const detectorLabel = sanitizeForTerminal(estimate?.detector ?? primary ?? '');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text color="cyan">{selected ? '❯ ' : '  '}</Text>
        <Text color={benchmark.finished ? 'green' : undefined} dimColor={!benchmark.finished && benchmark.startedAt === undefined}>
          {status}{' '}
        </Text>
        <Text bold={selected} inverse={selected}>{fit(sanitizeForTerminal(benchmark.name), nameWidth)}</Text>
        <Text> </Text>
        {progressBar(benchmark.done, benchmark.total, width).map((s, i) => (
          <Text key={i} color={s.role === 'fill' ? (benchmark.finished ? 'green' : 'cyan') : undefined} dimColor={s.role === 'empty'}>
            {s.text}
          </Text>
        ))}
        <Text>{fit(`${benchmark.done}/${benchmark.total}`, COUNT_WIDTH, 'right')}</Text>
        <Text dimColor>
          {fit(`  nbrs ${formatCount(benchmark.neighboursScored)} saved ${formatCount(benchmark.neighboursSaved)}`, NEIGHBOURS_WIDTH)}
        </Text>
        <Text>{fit(`  ${time}`, TIME_WIDTH)}</Text>
        {benchmark.errors > 0 ? <Text color="red">{`  ${benchmark.errors} err`}</Text> : null}
      </Text>
      <Text wrap="truncate">
        <Text>{' '.repeat(PREFIX_WIDTH)}</Text>
        <Text dimColor>{fit(detectorLabel, nameWidth)} </Text>
        {contaminationGauge(estimate, marks, width).map((s, i) => (
          <Text
            key={i}
            color={s.role === 'suspicious-mark' ? 'yellow' : s.role === 'contaminated-mark' ? 'red' : s.role === 'empty' ? undefined : colour}
            dimColor={s.role === 'empty' || s.role === 'interval'}
          >
            {s.text}
          </Text>
        ))}
        {estimate ? (
          <>
            <Text color={colour} bold>{fit(share(estimate.contamination), 5, 'right')}</Text>
            <Text dimColor> [{share(estimate.interval.low)}, {share(estimate.interval.high)}]</Text>
            <Text dimColor>  control </Text>
            <Text>{share(estimate.control)}</Text>
            {Number.isNaN(estimate.difference.value) ? null : <Text dimColor>  Δ {signed(estimate.difference.value)}</Text>}
            <Text>  </Text>
            <Text color={colour} bold>{verdictLabel(estimate.verdict)}</Text>
          </>
        ) : (
          <Text dimColor>   no estimate yet</Text>
        )}
      </Text>
    </Box>
  );
}
