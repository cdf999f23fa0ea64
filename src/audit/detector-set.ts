/** The configured detectors, keyed by the spec the user wrote, and what extra passes they need. */
import { parseDetectorSpec } from '../detectors/registry.js';
import type { Detector, DetectorContext } from '../detectors/types.js';
import type { TokenScores } from '../models/types.js';

export interface KeyedDetector {
  readonly key: string;
  readonly detector: Detector;
  /** The control (reference in the target's seat) is meaningless for the reference detector: it would compare the reference with itself. */
  readonly hasControl: boolean;
}

export function detectorSet(specs: readonly string[]): KeyedDetector[] {
  return specs.map((key) => {
    const detector = parseDetectorSpec(key);
    return { key, detector, hasControl: !detector.needs.reference };
  });
}

export const needsLowercase = (set: readonly KeyedDetector[]) => set.some((d) => d.detector.needs.lowercase);
export const needsDistribution = (set: readonly KeyedDetector[]) => set.some((d) => d.detector.needs.distribution);

/** Scores of one text from one seat: `self` is the model in the target's seat, `other` the one in the reference seat. */
export interface SeatScores {
  readonly self: TokenScores;
  readonly lowercase?: TokenScores;
  readonly other?: TokenScores;
}

export function scoreAll(set: readonly KeyedDetector[], text: string, seat: SeatScores, control: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { key, detector, hasControl } of set) {
    if (control && !hasControl) continue;
    const ctx: DetectorContext = { text, lowercase: seat.lowercase, reference: seat.other };
    out[key] = detector.score(seat.self, ctx);
  }
  return out;
}
