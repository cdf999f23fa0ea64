/**
 * The row's two bars as plain cells, so layout is testable without a terminal: a progress bar for
 * samples done, and a contamination gauge on a 0-100% scale with the live estimate, its interval
 * and the suspicious / contaminated thresholds marked. Components only colour the segments.
 */
import type { Interval, Thresholds } from '../audit/types.js';

export type GaugeRole = 'fill' | 'interval' | 'empty' | 'suspicious-mark' | 'contaminated-mark';

export interface BarSegment<Role extends string> {
  readonly text: string;
  readonly role: Role;
}

const FULL = '█';
const EMPTY = '░';
const INTERVAL = '▒';
const SUSPICIOUS_MARK = '┆';
const CONTAMINATED_MARK = '┃';

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/** Consecutive cells with the same role merge into one segment. */
function group<Role extends string>(cells: readonly Role[], glyph: (role: Role) => string): BarSegment<Role>[] {
  const segments: BarSegment<Role>[] = [];
  for (const role of cells) {
    const last = segments[segments.length - 1];
    if (last && last.role === role) segments[segments.length - 1] = { role, text: last.text + glyph(role) };
    else segments.push({ role, text: glyph(role) });
  }
  return segments;
}

export function progressBar(done: number, total: number, width: number): BarSegment<'fill' | 'empty'>[] {
  if (width <= 0) return [];
  const filled = total > 0 ? Math.round(clamp01(done / total) * width) : 0;
  const cells = Array.from({ length: width }, (_, i) => (i < filled ? 'fill' : 'empty') as 'fill' | 'empty');
  return group(cells, (role) => (role === 'fill' ? FULL : EMPTY));
}

/** The cell a threshold falls in: the first cell whose range reaches it. */
function markCell(threshold: number, width: number): number {
  return Math.min(width - 1, Math.max(0, Math.ceil(clamp01(threshold) * width) - 1));
}

/**
 * Cell i covers [i/width, (i+1)/width): filled when its midpoint is below the estimate, shaded when
 * it lies inside the interval, and the threshold cells are marked over whatever they show.
 */
export function contaminationGauge(
  estimate: { readonly contamination: number; readonly interval: Interval } | undefined,
  thresholds: Thresholds | undefined,
  width: number,
): BarSegment<GaugeRole>[] {
  if (width <= 0) return [];
  const cells: GaugeRole[] = Array.from({ length: width }, (_, i) => {
    if (!estimate) return 'empty';
    const mid = (i + 0.5) / width;
    if (mid < clamp01(estimate.contamination)) return 'fill';
    if (mid >= clamp01(estimate.interval.low) && mid <= clamp01(estimate.interval.high)) return 'interval';
    return 'empty';
  });
  if (thresholds) {
    cells[markCell(thresholds.suspicious, width)] = 'suspicious-mark';
    cells[markCell(thresholds.contaminated, width)] = 'contaminated-mark';
  }
  return group(cells, (role) => {
    switch (role) {
      case 'fill':
        return FULL;
      case 'interval':
        return INTERVAL;
      case 'empty':
        return EMPTY;
      case 'suspicious-mark':
        return SUSPICIOUS_MARK;
      case 'contaminated-mark':
        return CONTAMINATED_MARK;
    }
  });
}
