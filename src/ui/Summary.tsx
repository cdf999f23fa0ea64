import { Box, Text } from 'ink';
import type { Verdict } from '../audit/types.js';
import { formatDuration } from './format.js';
import { currentEstimate } from './sample-order.js';
import type { UiState } from './state.js';
import { verdictColor } from './verdict-style.js';

export interface SummaryProps {
  readonly state: UiState;
  /** Detector the verdicts are counted under. */
  readonly primary?: string;
  readonly now: number;
  /** Ctrl-C was pressed: the audit is stopping and will keep partial results. */
  readonly cancelling: boolean;
}

const ORDER: readonly Verdict[] = ['contaminated', 'suspicious', 'clean', 'unknown'];

/** Totals under the table: benchmarks and samples done, errors, elapsed; verdict counts at the end. */
export function Summary({ state, primary, now, cancelling }: SummaryProps) {
  const finished = state.benchmarks.filter((b) => b.finished).length;
  const done = state.benchmarks.reduce((n, b) => n + b.done, 0);
  const total = state.benchmarks.reduce((n, b) => n + b.total, 0);
  const errors = state.benchmarks.reduce((n, b) => n + b.errors, 0);
  const took = state.startedAt === undefined ? 0 : (state.finishedAt ?? now) - state.startedAt;
  const counts = new Map<Verdict, number>();
  for (const b of state.benchmarks) {
    // The benchmark's one verdict, as results.json and --fail-on read it.
    const verdict = b.finished ? (b.result?.verdict?.verdict ?? currentEstimate(b, primary)?.verdict) : undefined;
    if (verdict) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  }
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text wrap="truncate">
        <Text dimColor>benchmarks </Text>
        <Text>{`${finished}/${state.benchmarks.length}`}</Text>
        <Text dimColor>  samples </Text>
        <Text>{`${done}/${total}`}</Text>
        <Text dimColor>  errors </Text>
        <Text color={errors > 0 ? 'red' : undefined}>{String(errors)}</Text>
        <Text dimColor>  warnings </Text>
        <Text color={state.warnings > 0 ? 'yellow' : undefined}>{String(state.warnings)}</Text>
        <Text dimColor>  elapsed </Text>
        <Text>{formatDuration(took)}</Text>
      </Text>
      {state.done ? (
        <Text wrap="truncate">
          <Text bold>{state.results?.partial ? 'Audit stopped early (partial results kept): ' : 'Audit finished: '}</Text>
          {ORDER.filter((v) => counts.has(v)).map((v, i) => (
            <Text key={v}>
              {i > 0 ? ', ' : ''}
              <Text color={verdictColor(v)} bold>{`${counts.get(v)} ${v}`}</Text>
            </Text>
          ))}
          {counts.size === 0 ? <Text dimColor>no benchmark finished</Text> : null}
        </Text>
      ) : cancelling ? (
        <Text color="yellow">Cancelling… finishing the current batch; partial results will be kept.</Text>
      ) : null}
    </Box>
  );
}
