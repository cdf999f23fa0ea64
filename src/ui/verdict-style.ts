/** How a verdict looks: one colour and one label everywhere (rows, log lines, summary). */
import type { Verdict } from '../audit/types.js';

export type VerdictColor = 'green' | 'yellow' | 'red' | 'gray';

const COLORS: Readonly<Record<Verdict, VerdictColor>> = {
  clean: 'green',
  suspicious: 'yellow',
  contaminated: 'red',
  // No sample could be scored: not evidence either way, so no alarm colour.
  unknown: 'gray',
};

export function verdictColor(verdict: Verdict): VerdictColor {
  return COLORS[verdict];
}

export function verdictLabel(verdict: Verdict): string {
  return verdict.toUpperCase();
}
