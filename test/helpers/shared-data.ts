import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared/data` beside the project: real benchmark files and ONNX exports, absent on some machines. */
export const sharedData = resolve(repoRoot, '../shared/data');

export const hasSharedData = existsSync(sharedData);

/** Suffix for test names so a run says by name what it skipped and why. */
export const sharedDataNote = hasSharedData ? '' : ' (skipped: ../shared/data is absent)';

export function sharedPath(...parts: string[]): string {
  return resolve(sharedData, ...parts);
}
