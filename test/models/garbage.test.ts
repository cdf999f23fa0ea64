import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS, nodeEnvWords } from '../../src/cli/node-flags.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const garbage = new URL('../../dist/models/onnx/garbage.js', import.meta.url).href;

/** Counts the collections garbage.js makes in a fresh node started with `flags`. */
function collectionsWith(flags: string[]): number {
  const script = `
    let n = 0;
    const gc = globalThis.gc;
    if (gc) globalThis.gc = () => { n++; gc(); };
    const g = await import(${JSON.stringify(garbage)});
    g.collectNow();
    g.collectNow();
    process.stdout.write(String(n));`;
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim(), r.stderr).toMatch(/^\d+$/);
  return Number(r.stdout.trim());
}

describe('garbage collection of dropped K/V caches and onnxruntime outputs (issues 19, 20)', () => {
  it('the bin and npm start run node with NODE_FLAGS (--expose-gc among them) and NODE_ENV, so no flag is set after start-up', () => {
    const first = readFileSync(`${repo}src/cli/main.ts`, 'utf8').split('\n')[0];
    expect(NODE_FLAGS).toContain('--expose-gc');
    expect(first).toBe(`#!/usr/bin/env -S ${nodeEnvWords()} node ${NODE_FLAGS.join(' ')}`);
    const start = (JSON.parse(readFileSync(`${repo}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toContain(`${nodeEnvWords()} node ${NODE_FLAGS.join(' ')} dist/cli/main.js`);
    const code = readFileSync(`${repo}src/models/onnx/garbage.ts`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(code).not.toMatch(/setFlagsFromString|minor|node:v8|node:vm/);
  });

  it('collects on every collectNow when node has gc, and nowhere else', () => {
    expect(collectionsWith(['--expose-gc'])).toBe(2);
  });

  it('does nothing without --expose-gc and does not turn it on', () => {
    expect(collectionsWith([])).toBe(0);
  });
});
