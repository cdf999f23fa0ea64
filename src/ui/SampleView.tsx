import { Box, Text } from 'ink';
import type { SampleRecord } from '../audit/types.js';
import { fit, formatRank, formatScore, truncate } from './format.js';
import { highlightSegments, wrapSegments } from './sample-text.js';
import { sanitizeForTerminal } from './sanitize.js';

export interface SampleViewProps {
  readonly sample: SampleRecord;
  /** Detector listed first and used for the neighbours' scores. */
  readonly primary?: string;
  /** First visible text line (clamped here). */
  readonly scroll: number;
  /** Lines available for the text. */
  readonly textHeight: number;
  readonly columns: number;
  /** Neighbours to show at most. */
  readonly neighbours?: number;
}

const TEXT_INDENT = 2;

/** The sample's text wrapped for the view; AuditApp uses it too, to bound scrolling. */
export function sampleTextLines(sample: SampleRecord, columns: number) {
  return wrapSegments(highlightSegments(sample), Math.max(10, columns - TEXT_INDENT - 1));
}

/** Lines the view uses besides the text: title, scroll indicator, detector table, neighbours. */
export function sampleViewOverhead(sample: SampleRecord, neighbours = 3): number {
  return 4 + detectorKeys(sample, undefined).length + Math.min(neighbours, sample.neighbourExamples.length);
}

function detectorKeys(sample: SampleRecord, primary: string | undefined): string[] {
  const keys = [...new Set([...Object.keys(sample.scores), ...Object.keys(sample.ranks)])];
  return primary && keys.includes(primary) ? [primary, ...keys.filter((k) => k !== primary)] : keys;
}

/**
 * One sample: its text with the target's lowest-probability tokens (the Min-K% set) in inverse red,
 * each detector's score, rank s and flag for the target and the control, and a few neighbours.
 */
export function SampleView({ sample, primary, scroll, textHeight, columns, neighbours = 3 }: SampleViewProps) {
  const lines = sampleTextLines(sample, columns);
  const height = Math.max(1, textHeight);
  const top = Math.min(Math.max(0, scroll), Math.max(0, lines.length - height));
  const keys = detectorKeys(sample, primary);
  const neighbourKey = primary ?? keys[0] ?? '';
  const shown = sample.neighbourExamples.slice(0, neighbours);
  const clean = (s: string): string => sanitizeForTerminal(s);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>{clean(sample.id)}</Text>
        <Text dimColor>
          {`  row ${sample.rowIndex}`}
          {sample.label ? `  label ${sample.label}` : ''}
          {`  ppl ${formatScore(sample.ppl)}  neighbours ${sample.neighboursScored}/${sample.neighboursTotal}`}
          {`  ${sample.lowestTokens.length} lowest-probability tokens highlighted`}
          {sample.ranksExact ? '' : '  (s: lower bounds, early stop)'}
        </Text>
      </Text>
      <Box flexDirection="column" paddingLeft={TEXT_INDENT}>
        {lines.slice(top, top + height).map((line, i) => (
          <Text key={top + i} wrap="truncate">
            {line.length === 0 ? ' ' : null}
            {line.map((segment, j) =>
              segment.low ? (
                <Text key={j} inverse color="red">
                  {segment.text}
                </Text>
              ) : (
                <Text key={j}>{segment.text}</Text>
              ),
            )}
          </Text>
        ))}
      </Box>
      {lines.length > height ? (
        <Text dimColor>{`  lines ${top + 1}–${Math.min(lines.length, top + height)} of ${lines.length}`}</Text>
      ) : null}
      <Text dimColor wrap="truncate">
        {`${fit('detector', 22)} ${fit('score', 10, 'right')} ${fit('s', 6, 'right')}  flag ${fit('control', 10, 'right')} ${fit('ctl s', 6, 'right')}  flag`}
      </Text>
      {keys.map((key) => (
        <Text key={key} wrap="truncate">
          <Text bold={key === primary}>{fit(clean(key) + (key === primary ? '*' : ''), 22)}</Text>
          <Text> {fit(formatScore(sample.scores[key]), 10, 'right')}</Text>
          <Text> {fit(formatRank(sample.ranks[key], sample.ranksExact), 6, 'right')}</Text>
          <Text color={sample.flags[key] ? 'red' : 'green'}>{fit(sample.flags[key] ? '  yes' : '  no', 6)}</Text>
          <Text dimColor> {fit(formatScore(sample.controlScores[key]), 10, 'right')}</Text>
          <Text dimColor> {fit(formatRank(sample.controlRanks[key], sample.ranksExact), 6, 'right')}</Text>
          <Text dimColor>{sample.controlFlags[key] ? '  yes' : '  no'}</Text>
        </Text>
      ))}
      <Text dimColor wrap="truncate">
        {`neighbours (${shown.length} of ${sample.neighboursScored} scored) · ${clean(neighbourKey)} score`}
      </Text>
      {shown.map((n, i) => (
        <Text key={i} wrap="truncate">
          <Text>{fit(formatScore(n.scores[neighbourKey]), 10, 'right')}</Text>
          <Text dimColor>{'  '}{truncate(sanitizeForTerminal(n.text, { newlines: 'space' }), Math.max(10, columns - 13))}</Text>
        </Text>
      ))}
    </Box>
  );
}
