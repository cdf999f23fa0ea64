import { Box, Text } from 'ink';
import type { SampleRecord } from '../audit/types.js';
import { fit, formatRank, formatScore } from './format.js';
import { sanitizeForTerminal } from './sanitize.js';

export interface SampleListProps {
  /** Benchmark name, for the title. */
  readonly benchmark: string;
  /** Samples already in suspicion order (see sortBySuspicion). */
  readonly samples: readonly SampleRecord[];
  readonly selectedIndex: number;
  /** Detector whose rank and score are shown. */
  readonly detector?: string;
  /** Rows available for list items. */
  readonly height: number;
  readonly columns: number;
}

/** First visible item so that the selection stays in view, roughly centred. */
export function windowStart(selected: number, count: number, height: number): number {
  if (count <= height) return 0;
  return Math.min(Math.max(0, selected - Math.floor(height / 2)), count - height);
}

const ID_WIDTH = 22;

/** The selected benchmark's samples, most suspicious first, in a window that follows the selection. */
export function SampleList({ benchmark, samples, selectedIndex, detector, height, columns }: SampleListProps) {
  const rows = Math.max(1, height);
  const start = windowStart(selectedIndex, samples.length, rows);
  const visible = samples.slice(start, start + rows);
  const snippetWidth = Math.max(10, columns - 57); // 56 columns before the text, one spare
  const key = detector ?? '';
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>{sanitizeForTerminal(benchmark)}</Text>
        <Text dimColor>
          {` · ${samples.length} samples by suspicion (rank s ascending, then score) under ${sanitizeForTerminal(key)}`}
          {samples.length > rows ? ` · ${start + 1}–${start + visible.length} of ${samples.length}` : ''}
        </Text>
      </Text>
      <Text dimColor wrap="truncate">
        {`  ${fit('#', 5)}${fit('sample', ID_WIDTH)} ${fit('s', 6, 'right')} ${fit('score', 10, 'right')} ${fit('ctl s', 6, 'right')}  text`}
      </Text>
      {samples.length === 0 ? <Text dimColor>  no samples scored yet</Text> : null}
      {visible.map((sample, i) => {
        const index = start + i;
        const selected = index === selectedIndex;
        const flagged = sample.flags[key] === true;
        return (
          <Text key={sample.id} wrap="truncate" inverse={selected}>
            <Text color="cyan">{selected ? '❯ ' : '  '}</Text>
            <Text dimColor>{fit(String(index + 1), 5)}</Text>
            <Text>{fit(sanitizeForTerminal(sample.id), ID_WIDTH)} </Text>
            <Text color={flagged ? 'red' : undefined} bold={flagged}>
              {fit(formatRank(sample.ranks[key], sample.ranksExact), 6, 'right')}
            </Text>
            <Text> {fit(formatScore(sample.scores[key]), 10, 'right')}</Text>
            <Text dimColor> {fit(formatRank(sample.controlRanks[key], sample.ranksExact), 6, 'right')}</Text>
            <Text dimColor>{'  '}{fit(sanitizeForTerminal(sample.text, { newlines: 'space' }), snippetWidth)}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
