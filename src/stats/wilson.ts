/**
 * Wilson score interval for a binomial proportion (Wilson 1927). Preferred over the normal (Wald)
 * interval because n is small (100 samples upstream) and proportions sit near 0 or 1.
 */

/** Phi^-1(0.975) to double precision; simple-statistics' probit(0.975) gives 1.9572. */
export const Z_95 = 1.959963984540054;

export interface Proportion {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

export function wilson(successes: number, n: number, z = Z_95): Proportion {
  // No trials: the proportion is undefined, and every value in [0, 1] remains possible.
  if (n === 0) return { estimate: NaN, low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes the bound is exactly 0 or 1; the formula only reaches it up to rounding.
  return {
    estimate: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}
