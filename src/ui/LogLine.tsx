import { Text } from 'ink';
import { sanitizeForTerminal } from './sanitize.js';
import type { LogEntry } from './state.js';

export interface LogLineProps {
  readonly entry: LogEntry;
}

/**
 * One permanent line above the live frame (printed once through <Static>, so it stays in the
 * terminal's scrollback after exit): a warning or a sample error. Finished benchmarks are rows of
 * the frame, not lines here.
 */
export function LogLine({ entry }: LogLineProps) {
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
  }
}
