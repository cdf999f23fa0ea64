import { sha256 } from '../util/hash.js';
import { PythonRandom } from './mt19937.js';
import type { Sample } from './types.js';

/**
 * - `python-compat`: `random.seed(seed); random.shuffle(items)`, first n: the upstream tool's
 *   exact choice (detection-methods.md §1.2), so its published numbers can be compared item for item.
 *   It shuffles the list of valid samples, as upstream shuffles the already-filtered dataset.
 * - `hash` (default): each sample is ranked by sha256(`${seed}:${id}`) and the n lowest are kept
 *   (the whole hash, not util/random.ts's 32-bit deriveSeed, so no two ids tie in a large benchmark).
 *   A sample's chance of selection depends only on its own id, so adding or removing other rows
 *   (a fixed typo, a dropped item) leaves the rest of the selection unchanged; the result is
 *   returned in row order so plans read top to bottom like the file.
 */
export type SamplingMethod = 'seeded' | 'python-compat';

export const SAMPLING_METHODS: readonly SamplingMethod[] = ['seeded', 'python-compat'];

/** `random.seed(seed); l = list(range(n)); random.shuffle(l)` in Python 3. */
export function pythonShuffledIndices(n: number, seed: number): number[] {
  return new PythonRandom(seed).shuffle(Array.from({ length: n }, (_, i) => i));
}

export function chooseSamples(samples: readonly Sample[], n: number, seed: number, method: SamplingMethod): Sample[] {
  if (method === 'python-compat') {
    return pythonShuffledIndices(samples.length, seed)
      .slice(0, n)
      .map((i) => samples[i]);
  }
  const ranked = samples.map((sample) => ({ sample, key: sha256(`${seed}:${sample.id}`) }));
  ranked.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return ranked
    .slice(0, n)
    .map((r) => r.sample)
    .sort((a, b) => a.rowIndex - b.rowIndex);
}
