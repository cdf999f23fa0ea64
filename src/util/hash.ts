import { createHash } from 'node:crypto';

/** Hex sha256 of a string (as UTF-8) or of bytes: cache keys, text hashes, sample ranking, fingerprints. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
