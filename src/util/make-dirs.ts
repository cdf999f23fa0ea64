/**
 * `mkdir -p` that always ends. Node 20's mkdirSync(dir, { recursive: true }) spins at full CPU
 * forever when mkdir reports ENOENT for a folder whose parent exists, as /proc and /sys do
 * (`--out-dir /proc/forbidden` hung instead of failing). Here each missing folder is made once,
 * from the nearest existing ancestor down, and the first refusal is thrown as the OS gave it.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); !existsSync(at); at = dirname(at)) {
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  // A path that exists as a file: mkdir gives EEXIST, as the recursive call did.
  if (missing.length === 0 && !statSync(dir).isDirectory()) mkdirSync(dir);
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process made it meanwhile: fine, as with mkdir -p.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(folder).isDirectory()) continue;
      throw error;
    }
  }
}
