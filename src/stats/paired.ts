/**
 * Paired binary flags (target and control on the same items): the discordant counts McNemar's test
 * reads, and a closed-form interval for the difference of the two shares, cheap enough to recompute
 * after every sample for the live display. The final numbers use the paired bootstrap (bootstrap.ts).
 */
import type { Discordance } from './verdict.js';
import { wilson, Z_95 } from './wilson.js';

/** Pairs where both sides have a flag; null/undefined on either side drops the pair. */
export function pairFlags(target: readonly (boolean | null)[], control: readonly (boolean | null)[]): { t: boolean[]; c: boolean[] } {
  const t: boolean[] = [];
  const c: boolean[] = [];
  target.forEach((a, i) => {
    const b = control[i];
    if (a !== null && a !== undefined && b !== null && b !== undefined) t.push(a), c.push(b);
  });
  return { t, c };
}

export function discordance(t: readonly boolean[], c: readonly boolean[]): Discordance {
  let targetOnly = 0;
  let controlOnly = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] && !c[i]) targetOnly++;
    else if (!t[i] && c[i]) controlOnly++;
  }
  return { targetOnly, controlOnly, pairs: t.length };
}

/**
 * Newcombe's hybrid score interval for a difference of paired proportions (Newcombe 1998, Stat Med
 * 17:2635, method 10, without continuity correction): Wilson limits of each share, combined with
 * the phi correlation of the 2x2 table (set to 0 when a margin is empty).
 */
export function newcombePaired(t: readonly boolean[], c: readonly boolean[], z = Z_95): { value: number; low: number; high: number } {
  const n = t.length;
  if (n === 0) return { value: NaN, low: NaN, high: NaN };
  let both = 0;
  let targetOnly = 0;
  let controlOnly = 0;
  for (let i = 0; i < n; i++) {
    if (t[i] && c[i]) both++;
    else if (t[i]) targetOnly++;
    else if (c[i]) controlOnly++;
  }
  const neither = n - both - targetOnly - controlOnly;
  const w1 = wilson(both + targetOnly, n, z);
  const w2 = wilson(both + controlOnly, n, z);
  const value = w1.estimate - w2.estimate;
  const margins = (both + targetOnly) * (controlOnly + neither) * (both + controlOnly) * (targetOnly + neither);
  const phi = margins === 0 ? 0 : (both * neither - targetOnly * controlOnly) / Math.sqrt(margins);
  const [d1l, d1u, d2l, d2u] = [w1.estimate - w1.low, w1.high - w1.estimate, w2.estimate - w2.low, w2.high - w2.estimate];
  const delta = Math.sqrt(Math.max(0, d1l * d1l - 2 * phi * d1l * d2u + d2u * d2u));
  const epsilon = Math.sqrt(Math.max(0, d1u * d1u - 2 * phi * d1u * d2l + d2l * d2l));
  return { value, low: Math.max(-1, value - delta), high: Math.min(1, value + epsilon) };
}
