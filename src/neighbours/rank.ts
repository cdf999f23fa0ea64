/**
 * The per-sample neighbour rank (detection-methods.md §1.3 step 4).
 * Upstream: s(x) = #{ j : L_T(n_j) < L_T(x) } / M with loss, i.e. the fraction of neighbours the target
 * finds more likely than the original. With our higher = member detectors that is
 * #{ j : score(n_j) > score(x) } / M. With `strict` ties (compat mode) a tie does not count, as
 * upstream's strict `<`; then a detector that ties everywhere (lowercase on all-lowercase text) puts
 * every original first and flags every sample. With `half` ties (fixed mode) a tie counts one half,
 * the mid-rank: an original tied with all its neighbours ranks 0.5, as a random tie-break would on average.
 * The sample is flagged when s < cut (upstream 0.1).
 */

export const DEFAULT_CUT = 0.1;

export type Ties = 'strict' | 'half';

/** How much one neighbour adds to the count of neighbours more member-like than the original. */
export function beats(neighbourScore: number, originalScore: number, ties: Ties): number {
  if (neighbourScore > originalScore) return 1;
  return neighbourScore === originalScore && ties === 'half' ? 0.5 : 0;
}

/**
 * NaN handling: a NaN original gives NaN (a per-sample error, never a flag; upstream's comparisons
 * would have counted 0 neighbours and flagged it). A NaN neighbour is left out of both the count and M,
 * rather than silently counted as "not more member-like". No valid neighbour gives NaN.
 */
export function rankOf(originalScore: number, neighbourScores: ArrayLike<number>, ties: Ties = 'strict'): number {
  if (Number.isNaN(originalScore)) return NaN;
  let beating = 0;
  let valid = 0;
  for (let j = 0; j < neighbourScores.length; j++) {
    const s = neighbourScores[j];
    if (Number.isNaN(s)) continue;
    valid++;
    beating += beats(s, originalScore, ties);
  }
  return valid === 0 ? NaN : beating / valid;
}

/** s < cut; NaN (an errored sample) is never flagged. */
export function isFlagged(rank: number, cut = DEFAULT_CUT): boolean {
  return rank < cut;
}
