import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PythonRandom } from '../../src/benchmarks/mt19937.js';
import { pythonShuffledIndices } from '../../src/benchmarks/sampling.js';

interface ShuffleCase {
  seed: number;
  n: number;
  first100: number[];
}

// Committed from python3 (see its generatedBy); compared against a live python3 when one is on PATH.
const committed = JSON.parse(readFileSync(new URL('./python-shuffle-expected.json', import.meta.url), 'utf8')) as {
  cases: ShuffleCase[];
};

function livePython(): ShuffleCase[] | undefined {
  const script =
    'import json, random\n' +
    'out = []\n' +
    'for seed in (0, 42):\n' +
    '    for n in (817, 1172, 1319, 14042):\n' +
    '        random.seed(seed); l = list(range(n)); random.shuffle(l)\n' +
    '        out.append({"seed": seed, "n": n, "first100": l[:100]})\n' +
    'print(json.dumps(out))\n';
  try {
    return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' })) as ShuffleCase[];
  } catch {
    return undefined;
  }
}

const live = livePython();
const source = live ? 'live python3' : 'committed python-shuffle-expected.json (python3 not on PATH)';

describe(`python-compat sampling equals Python 3 random.shuffle (against ${source})`, () => {
  it('live python3, when present, agrees with the committed expectations', () => {
    if (live) expect(live).toEqual(committed.cases);
  });

  for (const { seed, n } of committed.cases) {
    it(`seed ${seed}, n ${n}: first 100 indices`, () => {
      const expected = (live ?? committed.cases).find((c) => c.seed === seed && c.n === n)!.first100;
      expect(pythonShuffledIndices(n, seed).slice(0, 100)).toEqual(expected);
    });
  }

  it('getrandbits(32) after random.seed(42) is 2746317213, as CPython gives', () => {
    expect(new PythonRandom(42).getrandbits(32)).toBe(2746317213);
  });

  it('shuffle of range(10) with seed 0 is [7, 8, 1, 5, 3, 4, 2, 0, 9, 6]', () => {
    expect(pythonShuffledIndices(10, 0)).toEqual([7, 8, 1, 5, 3, 4, 2, 0, 9, 6]);
  });
});
