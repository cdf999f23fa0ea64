import { Box, Text } from 'ink';
import { progressBar } from '../bars.js';
import { figuresText, type ProgressFigures } from './progress-figures.js';

export interface OverlapProgressProps {
  /** What is scanned for and in what: items, n-grams, files, size, workers. */
  readonly header: string;
  /** Undefined until the scan's first report. */
  readonly figures?: ProgressFigures;
  /** The scan is over: the bar is replaced by a tick. */
  readonly done: boolean;
  readonly barWidth?: number;
}

/** The live `contam overlap` frame: a header, a bar over the corpus on disk, and the running figures. */
export function OverlapProgress({ header, figures, done, barWidth = 30 }: OverlapProgressProps) {
  const fraction = done ? 1 : (figures?.fraction ?? 0);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>contam overlap</Text>
        <Text dimColor>{`  ${header}`}</Text>
      </Text>
      <Text wrap="truncate">
        <Text color={done ? 'green' : 'cyan'}>{done ? '✓ ' : '› '}</Text>
        {progressBar(fraction, 1, barWidth).map((s, i) => (
          <Text key={i} color={s.role === 'fill' ? 'cyan' : undefined} dimColor={s.role === 'empty'}>
            {s.text}
          </Text>
        ))}
        <Text>{` ${Math.floor(fraction * 100)}%`}</Text>
        <Text dimColor>{figures ? `  ${figures.scannedMb.toFixed(1)} MB scanned of ${figures.totalMb.toFixed(1)} MB on disk` : '  starting'}</Text>
      </Text>
      {figures ? <Text wrap="truncate">{figuresText(done ? { ...figures, etaSeconds: undefined } : figures)}</Text> : null}
    </Box>
  );
}
