/**
 * Seeded random numbers for fixture weights: mulberry32 (a 32-bit counter hashed to a uniform)
 * and Box-Muller for normals. Not for anything statistical; only reproducible and fast.
 */

/** The project's one mulberry32 (src/util/rng.ts). */
export { createRng as mulberry32 } from '../util/rng.js';

/** FNV-1a over UTF-16 code units: turns a tensor name into a seed so each tensor has its own stream. */
export function hashString(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** Fills `out` with N(0, std^2) samples (Box-Muller, both values of each pair used). */
export function fillNormal(out: Float32Array, std: number, random: () => number): Float32Array {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - random(); // in (0, 1]: log(0) never happens
    const u2 = random();
    const radius = std * Math.sqrt(-2 * Math.log(u1));
    out[i] = radius * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(2 * Math.PI * u2);
  }
  return out;
}
