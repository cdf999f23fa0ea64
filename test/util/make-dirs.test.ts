import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from '../../src/util/make-dirs.js';

const root = mkdtempSync(join(tmpdir(), 'contam-make-dirs-'));

describe('makeDirs (mkdir -p that always ends)', () => {
  it('makes every missing folder and accepts one that exists', () => {
    const deep = join(root, 'a', 'b', 'c');
    makeDirs(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirs(deep);
    makeDirs(root);
  });

  it('throws the OS error of the first folder it cannot make, as mkdir -p does', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    expect(() => makeDirs(file)).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(() => makeDirs(join(file, 'below'))).toThrow(expect.objectContaining({ code: 'ENOTDIR', path: join(file, 'below') }));
  });

  // Node 20's mkdirSync(..., { recursive: true }) never returns here; a regression would hang the worker, so it runs last.
  it.skipIf(!existsSync('/proc/self'))('a folder in /proc: ENOENT from mkdir at once, naming the folder', () => {
    expect(() => makeDirs('/proc/forbidden/deeper')).toThrow(expect.objectContaining({ code: 'ENOENT', syscall: 'mkdir', path: '/proc/forbidden' }));
  });
});
