import { Box, Text } from 'ink';
import type { AuditConfig } from '../audit/types.js';
import { specLabel } from '../models/registry.js';
import type { Traffic } from '../models/backend.js';
import type { UiState } from './state.js';
import { sanitizeForTerminal } from './sanitize.js';

export interface HeaderProps {
  /** Undefined until the audit's 'start' event. */
  readonly config?: AuditConfig;
  /** The detector the table ranks by; marked with `*` in the detector list. */
  readonly primary?: string;
  /** Engine traffic (remote models only). */
  readonly traffic?: UiState['traffic'];
  readonly startedAt?: number;
}

/** "target 3 in flight · 1,240 tok/s · 2 retries": one engine's load, its rate averaged since the start (requests are in results.json). */
function trafficText(role: string, t: Traffic | undefined, seconds: number): string | undefined {
  if (!t) return undefined;
  const rate = seconds > 0 ? Math.round((t.scoredTokens + t.sampledTokens) / seconds) : 0;
  return `${role} ${t.inFlight} in flight · ${rate.toLocaleString('en-US')} tok/s · ${t.retries} retr${t.retries === 1 ? 'y' : 'ies'}`;
}

/** Who is audited against whom, and how: target, reference, mode, seed, detectors. */
export function Header({ config, primary, traffic, startedAt }: HeaderProps) {
  if (!config) {
    return (
      <Box>
        <Text bold>contam</Text>
        <Text dimColor> waiting for the audit to start…</Text>
      </Box>
    );
  }
  const clean = (s: string): string => sanitizeForTerminal(s);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text bold>contam</Text>
        <Text dimColor>  target </Text>
        <Text color="cyan">{clean(specLabel(config.target))}</Text>
        <Text dimColor>  reference </Text>
        <Text color="cyan">{clean(specLabel(config.reference))}</Text>
        <Text dimColor>  mode </Text>
        <Text>{config.mode}</Text>
        <Text dimColor>  seed </Text>
        <Text>{String(config.seed)}</Text>
      </Text>
      <Text wrap="truncate">
        <Text dimColor>detectors </Text>
        {config.detectors.map((d, i) => (
          <Text key={d}>
            {i > 0 ? ', ' : ''}
            <Text bold={d === primary}>{clean(d)}</Text>
            {d === primary ? '*' : ''}
          </Text>
        ))}
        <Text dimColor>
          {'  '}flag s &lt; {config.cut} ·{' '}
          {config.mode === 'fixed'
            ? `verdict vs control: suspicious when significantly above it, contaminated when the interval clears +${config.margins.contaminated.toFixed(2)}`
            : `suspicious > ${config.thresholds.suspicious.toFixed(2)} · contaminated > ${config.thresholds.contaminated.toFixed(2)}`}
        </Text>
      </Text>
      {traffic ? (
        <Text wrap="truncate" dimColor>
          {[trafficText('target', traffic.target, (traffic.at - (startedAt ?? traffic.at)) / 1000), trafficText('reference', traffic.reference, (traffic.at - (startedAt ?? traffic.at)) / 1000)]
            .filter(Boolean)
            .join('   ')}
        </Text>
      ) : null}
    </Box>
  );
}
