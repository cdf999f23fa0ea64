/**
 * Preloaded (`node --import`) into the `contam overlap` child the bench times: at exit it writes
 * the process's peak resident memory and CPU time to the file named by CONTAM_PEAK_FILE, as JSON.
 * Worker threads live in the same process, so both cover them. VmHWM, not getrusage's maxrss: see
 * peak-memory-child.ts. CPU time does not depend on how busy the machine is, wall time does.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const out = process.env.CONTAM_PEAK_FILE;
if (out) {
  process.on('exit', () => {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    const cpu = process.cpuUsage();
    const peakRssBytes = kb ? Number(kb) * 1024 : process.resourceUsage().maxRSS * 1024;
    writeFileSync(out, JSON.stringify({ peakRssBytes, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  });
}
