/**
 * A cache folder built at most once: the build goes to a private staging folder renamed into place,
 * its marker file written last, so a concurrent run (another test file, the calibration script) never
 * sees half a folder, and an interrupted build is started again.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs `build` into a fresh folder unless `dir` already holds `marker`; `build` returns what the marker
 * records. True when this call built it, false when the cache (or a faster concurrent run) had it.
 */
export function buildOnce(dir: string, marker: string, build: (staging: string) => unknown): boolean {
  if (existsSync(join(dir, marker))) return false;
  // A folder without the marker is an interrupted build: start again.
  rmSync(dir, { recursive: true, force: true });
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  try {
    const record = build(staging);
    writeFileSync(join(staging, marker), `${JSON.stringify(record)}\n`);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another process finished the same build first: use its folder.
    if (existsSync(join(dir, marker))) return false;
    throw error;
  }
  return true;
}
