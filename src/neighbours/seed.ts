/**
 * Per-sample neighbour seeds: a pure function of (run seed, sample id), so a sample's neighbours do not
 * depend on which other samples run, in what order, or how the run was resumed from cache.
 */
import { createHash } from 'node:crypto';

/** First 32 bits of sha256("<seed>\0<sampleId>") as an unsigned integer. */
export function neighbourSeed(seed: number, sampleId: string): number {
  return createHash('sha256').update(`${seed}\0${sampleId}`).digest().readUInt32BE(0);
}
