/**
 * Exact early stopping for the neighbour rank: stop scoring a sample's neighbours as soon as no
 * outcome of the remaining ones can change its flag. The flag is identical to
 * isFlagged(rankOf(original, all scores), cut); only the work differs.
 *
 * With c neighbours beating the original so far, r not yet scored and m = M - (NaN neighbours so far),
 * the final rank is (c + b) / (m - i) for some b beating and i NaN among the remaining, b + i <= r.
 * Its minimum is c / m (no remaining one beats or fails) and its maximum (c + r) / m (all beat; since
 * c + r <= m, turning beaters into NaNs only lowers the ratio). So:
 *   unflagged is decided once c / m >= cut (for cut 0.1, M 100: ten neighbours beat the original);
 *   flagged is decided once (c + r) / m < cut (only near the end: the sample needs all its scores).
 * Both tests use the same float division as rankOf, and correctly rounded division is monotone, so
 * rounding cannot make the shortcut disagree with the full computation.
 */
import { DEFAULT_CUT, beats, isFlagged, type Ties } from './rank.js';

export interface EarlyStopResult {
  readonly decided: boolean;
  /** The final flag once decided; false before (and for an errored sample, rank NaN). */
  readonly flagged: boolean;
  readonly scored: number;
  /** Neighbours left unscored because the flag was already decided. */
  readonly saved: number;
  readonly beating: number;
  readonly invalid: number;
  /** Exact rank when every neighbour was scored (NaN for an errored sample); null when stopped early. */
  readonly rank: number | null;
}

export class EarlyStop {
  private beating = 0;
  private invalid = 0;
  private scored = 0;
  private outcome: boolean | undefined;

  constructor(
    readonly total: number,
    readonly originalScore: number,
    readonly cut: number = DEFAULT_CUT,
    /** Half ties keep the bounds below valid: each remaining neighbour still adds between 0 and 1. */
    readonly ties: Ties = 'strict',
  ) {
    if (!Number.isInteger(total) || total < 0) throw new RangeError(`EarlyStop: total must be a non-negative integer, got ${total}`);
    if (!(cut > 0 && cut <= 1)) throw new RangeError(`EarlyStop: cut must be in (0, 1], got ${cut}`);
    this.update();
  }

  get decided(): boolean {
    return this.outcome !== undefined;
  }

  /** Records one neighbour's score; returns whether the flag is now decided (stop scoring). */
  add(neighbourScore: number): boolean {
    if (this.decided) return true;
    if (this.scored >= this.total) throw new RangeError(`EarlyStop: more than ${this.total} neighbours added`);
    this.scored++;
    if (Number.isNaN(neighbourScore)) this.invalid++;
    else this.beating += beats(neighbourScore, this.originalScore, this.ties);
    this.update();
    return this.decided;
  }

  result(): EarlyStopResult {
    const complete = this.scored === this.total;
    const m = this.total - this.invalid;
    const rank = Number.isNaN(this.originalScore) || (complete && m === 0) ? NaN : complete ? this.beating / m : null;
    return {
      decided: this.decided,
      flagged: this.outcome ?? false,
      scored: this.scored,
      saved: this.decided ? this.total - this.scored : 0,
      beating: this.beating,
      invalid: this.invalid,
      rank,
    };
  }

  private update(): void {
    const m = this.total - this.invalid;
    const remaining = this.total - this.scored;
    // An errored original (NaN) or no valid neighbour at all: rank NaN, never flagged (as rankOf).
    if (Number.isNaN(this.originalScore) || (remaining === 0 && m === 0)) this.outcome = false;
    else if (remaining === 0) this.outcome = isFlagged(this.beating / m, this.cut);
    else if (this.beating / m >= this.cut) this.outcome = false;
    else if ((this.beating + remaining) / m < this.cut) this.outcome = true;
  }
}

/** Several detectors rank on the same neighbours: scoring may stop only once every one is decided. */
export function allDecided(stops: readonly EarlyStop[]): boolean {
  return stops.every((s) => s.decided);
}
