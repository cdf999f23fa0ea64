/**
 * Preloaded (`node --import`) into the `contam overlap` child the bench times: at exit it writes
 * the process's peak resident memory to the file named by CONTAM_PEAK_FILE. Worker threads live in
 * the same process, so the peak covers them. VmHWM, not getrusage: see peak-memory-child.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.CONTAM_PEAK_FILE;
if (out) {
  process.on('exit', () => {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    writeFileSync(out, String(kb ? Number(kb) * 1024 : process.resourceUsage().maxRSS * 1024));
  });
}
