/** A model's identity for the cache: sha256 over its weights and tokenizer files, in a fixed order. */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';

async function hashFile(path: string, into: ReturnType<typeof createHash>): Promise<void> {
  into.update(`${basename(path)}\0${statSync(path).size}\0`);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) into.update(chunk as Buffer);
}

export async function fingerprintFiles(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of [...paths].sort()) await hashFile(path, hash);
  return hash.digest('hex');
}
