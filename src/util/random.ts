/**
 * The project's one seeded generator and one way to derive seeds. Math.random cannot be seeded, and
 * everything random in a run (sample choice aside, which ranks by hash) must be reproducible from the
 * seed in its config: neighbour draws, per-chunk and per-row streams, bootstraps, folds, simulations,
 * the demo's texts. The one exception is benchmarks/mt19937.ts, which must be Python's own generator
 * bit for bit so that `--sampling python-compat` picks the upstream tool's samples. Retry jitter
 * (models/remote/client.ts) is deliberately unseeded: clients retrying in step is what it prevents.
 *
 * Why sfc32 (Doty-Humphrey's Small Fast Counting generator) and not mulberry32, which the project
 * also used: mulberry32's state is one 32-bit counter, so every seed walks the same cycle of 2^32
 * states and two seeds' streams are one sequence shifted, which overlap once they draw enough (a
 * bootstrap of 10,000 resamples over 5,000 items draws 2^25.6 numbers from one stream). sfc32 keeps
 * 128 bits of state with a counter in it (no cycle shorter than 2^32, about 2^127 on average), so
 * seeds start on unrelated stretches; it passes PractRand and is as fast in 32-bit integer arithmetic.
 */
import { createHash } from 'node:crypto';

/** splitmix32: spreads one 32-bit seed over sfc32's four state words, so seeds 0, 1, 2... start far apart. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Uniform floats in [0, 1) with 32 bits each, like Math.random, fully determined by `seed` (an unsigned 32-bit integer). */
export function seededRandom(seed: number): () => number {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/**
 * A seed for one named use of a base seed (a sample id, `chunk 2`, `row 17`, `blind-baseline`):
 * the first 32 bits of sha256("<seed>\0<key>"). A pure function of the two, so a sample's stream
 * does not depend on which other samples ran, in what order, or whether the run resumed from cache;
 * the hash leaves nearby keys (`row 1`, `row 2`) with unrelated seeds.
 */
export function deriveSeed(seed: number, key: string): number {
  return createHash('sha256').update(`${seed}\0${key}`).digest().readUInt32BE(0);
}

/** The stream for one named use of a base seed: `seededRandom(deriveSeed(seed, key))`. */
export function derivedRandom(seed: number, key: string): () => number {
  return seededRandom(deriveSeed(seed, key));
}
