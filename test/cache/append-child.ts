/**
 * Child process for the concurrency test: waits for the parent's go-file so both children append at
 * the same time, then puts `count` records of ~8 KB (larger than PIPE_BUF) into the shared cache.
 * argv: cacheDir goFile workerName count
 */
import { existsSync } from 'node:fs';
import { openCache } from '../../src/cache/store.js';
import { cacheKey } from '../../src/cache/key.js';

const [dir, goFile, worker, count] = process.argv.slice(2);
const cache = openCache<{ worker: string; i: number; pad: string }>(dir);
process.stdout.write('ready\n');
const sleeper = new Int32Array(new SharedArrayBuffer(4));
while (!existsSync(goFile)) Atomics.wait(sleeper, 0, 0, 2);
for (let i = 0; i < Number(count); i++) {
  cache.put(cacheKey({ model: 'shared' }, { textHash: `${worker}-${i}` }), { worker, i, pad: worker.repeat(8000) });
}
cache.close();
// Damaged lines the parent injected are expected (and cleared); a write that failed is not.
const failures = cache.warnings().filter((w) => !w.includes('damaged line'));
if (failures.length > 0) {
  process.stderr.write(failures.join('\n'));
  process.exitCode = 1;
}
