/**
 * The exchangeable null of the neighbour-rank statistic and an exact binomial test against it.
 */
import { gammaln } from 'simple-statistics';

/**
 * If the original and its M neighbours are exchangeable, the number r of neighbours beating it is
 * uniform on 0..M, so P(r/M < cut) = #{ r in 0..M : r/M < cut } / (M + 1). M = 100, cut 0.1 gives
 * 10/101 ≈ 0.099 (detection-methods.md §1.4): a clean benchmark sits near 0.10, not 0. The comparison
 * uses the same float division as rankOf, so it counts exactly the ranks that would be flagged.
 */
export function exchangeableNullRate(neighbours: number, cut: number): number {
  if (neighbours <= 0) return NaN;
  let flagged = 0;
  for (let r = 0; r <= neighbours; r++) if (r / neighbours < cut) flagged++;
  return flagged / (neighbours + 1);
}

/**
 * One-sided exact binomial test: P(X >= x) for X ~ Binomial(n, p0), summed term by term in float64
 * with log-binomial coefficients from simple-statistics' Lanczos gammaln (about 1e-13 relative error
 * for n in the thousands). A normal approximation would be poor at n = 100 with p0 near 0.1.
 */
export function binomialTailP(x: number, n: number, p0: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  if (p0 <= 0) return 0;
  if (p0 >= 1) return 1;
  const logP = Math.log(p0);
  const logQ = Math.log1p(-p0);
  const logNFact = gammaln(n + 1);
  let sum = 0;
  for (let k = x; k <= n; k++) {
    sum += Math.exp(logNFact - gammaln(k + 1) - gammaln(n - k + 1) + k * logP + (n - k) * logQ);
  }
  return Math.min(1, sum);
}
