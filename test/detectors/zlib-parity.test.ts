import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pythonZlibLength } from '../../src/detectors/zlib.js';
import { seededRandom } from '../../src/util/random.js';
import { hasSharedData, sharedDataNote, sharedPath } from '../helpers/shared-data.js';

const TEXTS = ['', 'a', 'hello hello hello', 'Hello world', 'Ünïcödé ✓ 漢字 🙂', 'What is 2 + 2? 4'];
// python3: [len(zlib.compress(s.encode())) for s in TEXTS]
const COMMITTED = [8, 9, 16, 19, 38, 24];

function pythonLengths(texts: string[]): number[] | null {
  const script = 'import json,sys,zlib; print(json.dumps([len(zlib.compress(s.encode())) for s in json.load(sys.stdin)]))';
  const run = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 1 << 26 });
  return run.status === 0 ? (JSON.parse(run.stdout) as number[]) : null;
}

describe('zlib compressed length', () => {
  const live = pythonLengths(TEXTS);
  it(`matches Python's len(zlib.compress(s.encode()))${live ? ' (python3 live)' : ' (committed numbers: python3 absent)'}`, () => {
    if (live) expect(live).toEqual(COMMITTED);
    expect(TEXTS.map(pythonZlibLength)).toEqual(live ?? COMMITTED);
  });

  // Node's bundled zlib differs from stock zlib on 1069 of these 1319 texts; pako does not.
  const gsm8k = hasSharedData ? readFileSync(sharedPath('benchmarks/gsm8k/test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { question: string; answer: string }) : [];
  const texts = gsm8k.map((r) => `${r.question} ${r.answer}`);
  const python = hasSharedData ? pythonLengths(texts) : null;
  it.skipIf(!python)(`matches Python on every GSM8K test text${hasSharedData ? (python ? '' : ' (skipped: python3 absent)') : sharedDataNote}`, () => {
    expect(texts.map(pythonZlibLength)).toEqual(python);
  });

  // The window is sized to the text: lengths either side of every window size, with repeats near the
  // longest reach, must still equal stock zlib's 32 KB window.
  const rng = seededRandom(7);
  const word = () => Array.from({ length: 1 + Math.floor(rng() * 8) }, () => String.fromCharCode(97 + Math.floor(rng() * 26))).join('');
  const sized = [9, 10, 11, 12, 13, 14, 15].flatMap((bits) =>
    [-300, -262, -261, -1, 0, 1, 500].map((delta) => {
      const target = Math.max(1, (1 << bits) + delta);
      const head = Array.from({ length: 40 }, word).join(' ');
      let text = head;
      while (text.length < target) text += rng() < 0.3 ? ` ${head.slice(0, 60)}` : ` ${word()}`;
      return text.slice(0, target);
    }),
  );
  const pythonSized = pythonLengths(sized);
  it.skipIf(!pythonSized)(`matches Python on texts either side of every window size${pythonSized ? '' : ' (skipped: python3 absent)'}`, () => {
    expect(sized.map(pythonZlibLength)).toEqual(pythonSized);
  });
});
