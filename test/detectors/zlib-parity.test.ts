import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pythonZlibLength } from '../../src/detectors/zlib.js';
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
});
