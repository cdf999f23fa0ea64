/**
 * A benchmark's verdict from its contamination share (the "result < 0.1, %" number).
 * Upstream README: "If the result < 0.1 with a percentage greater than 0.85, it is highly likely that
 * the dataset has been trained", so a verdict needs the share to be strictly greater than its threshold.
 */
import { FatalError } from '../errors.js';

export type Verdict = 'clean' | 'suspicious' | 'contaminated' | 'unknown';

export interface VerdictThresholds {
  readonly suspicious: number;
  readonly contaminated: number;
}

/** Upstream README's 0.85 for contaminated; 0.5 marks the half-way band as worth a look. */
export const DEFAULT_THRESHOLDS: VerdictThresholds = { suspicious: 0.5, contaminated: 0.85 };
/** The SOLAR-10.7B model card's line ("well below 0.9"), for reports that cite it. Reference only. */
export const SOLAR_CARD_THRESHOLD = 0.9;

export function checkThresholds(t: VerdictThresholds): VerdictThresholds {
  const ok = (v: number): boolean => Number.isFinite(v) && v >= 0 && v <= 1;
  if (!ok(t.suspicious) || !ok(t.contaminated) || t.suspicious > t.contaminated) {
    throw new FatalError(
      `verdict thresholds suspicious=${t.suspicious}, contaminated=${t.contaminated} are invalid; ` +
        'both must be in [0, 1] with suspicious <= contaminated',
    );
  }
  return t;
}

/** 'unknown' when the share is NaN: no sample was scored, so there is nothing to judge. */
export function verdictFor(contamination: number, thresholds: VerdictThresholds = DEFAULT_THRESHOLDS): Verdict {
  checkThresholds(thresholds);
  if (Number.isNaN(contamination)) return 'unknown';
  if (contamination > thresholds.contaminated) return 'contaminated';
  if (contamination > thresholds.suspicious) return 'suspicious';
  return 'clean';
}
