/**
 * Standard normal CDF from simple-statistics' errorFunction (absolute error about 1e-7, fine for
 * p-values). Not its cumulativeStdNormalProbability: that is a lookup table that saturates near |z| 3.1.
 */
import { errorFunction } from 'simple-statistics';

export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}
