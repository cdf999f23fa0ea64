import type { TokenScores } from '../models/types.js';

/** What a detector may look at beyond the target's token scores of the text itself. */
export interface DetectorContext {
  /** The scored text (for zlib). */
  readonly text: string;
  /** Target's scores of the lowercased text (for lowercase). */
  readonly lowercase?: TokenScores;
  /** Reference model's scores of the same text (for reference). */
  readonly reference?: TokenScores;
}

/** What extra forward passes a detector needs, so the engine runs only those. */
export interface DetectorNeeds {
  readonly lowercase?: boolean;
  readonly reference?: boolean;
  /** The mean and std of log p over the full next-token distribution at each position (Min-K%++). */
  readonly distribution?: boolean;
}

/**
 * A membership-inference score. Convention for every detector: higher = more member-like.
 * Each file documents the paper's own sign.
 */
export interface Detector {
  readonly id: string;
  readonly version: number;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly needs: DetectorNeeds;
  score(target: TokenScores, ctx: DetectorContext): number;
}
