/**
 * What the overlap progress shows, computed once for the Ink frame and the plain lines alike:
 * bytes, records, matches, rate and an ETA. The ETA divides the corpus' size on disk still to read
 * by the rate on disk so far (compressed bytes for .gz files: the only total known up front).
 * Pure; no terminal knowledge.
 */
import type { ScanProgress } from '../../overlap/scan.js';
import { formatCount, formatDuration } from '../format.js';

export interface ProgressFigures {
  /** Share of the corpus on disk consumed, 0-1. */
  readonly fraction: number;
  readonly scannedMb: number;
  readonly totalMb: number;
  readonly records: number;
  readonly recordsWithMatches: number;
  readonly itemsMatched: number;
  /** Scanned (decompressed) MB per second since the start. */
  readonly mbPerSecond: number;
  /** Seconds left, or undefined before anything was read. */
  readonly etaSeconds?: number;
  readonly seconds: number;
}

export function progressFigures(p: ScanProgress, totalBytes: number): ProgressFigures {
  const input = p.inputBytes ?? p.bytesRead;
  const fraction = totalBytes > 0 ? Math.min(1, input / totalBytes) : 0;
  const diskRate = p.seconds > 0 ? input / p.seconds : 0;
  return {
    fraction,
    scannedMb: p.bytesRead / 1e6,
    totalMb: totalBytes / 1e6,
    records: p.records,
    recordsWithMatches: p.recordsWithMatches,
    itemsMatched: p.itemsMatched ?? 0,
    mbPerSecond: p.seconds > 0 ? p.bytesRead / 1e6 / p.seconds : 0,
    ...(diskRate > 0 ? { etaSeconds: Math.max(0, totalBytes - input) / diskRate } : {}),
    seconds: p.seconds,
  };
}

/** "1.2k records · 3 with matches · 2 items matched · 85.1 MB/s · 4s, eta 12s" */
export function figuresText(f: ProgressFigures): string {
  return (
    `${formatCount(f.records)} records · ${formatCount(f.recordsWithMatches)} with matches · ${formatCount(f.itemsMatched)} items matched · ` +
    `${f.mbPerSecond.toFixed(1)} MB/s · ${formatDuration(f.seconds * 1000)}${f.etaSeconds === undefined || f.fraction >= 1 ? '' : `, eta ${formatDuration(f.etaSeconds * 1000)}`}`
  );
}

/** One plain progress line for CI and non-TTY stderr. */
export function progressLine(f: ProgressFigures): string {
  return `overlap: ${f.scannedMb.toFixed(1)} MB scanned, ${Math.floor(f.fraction * 100)}% of ${f.totalMb.toFixed(1)} MB on disk · ${figuresText(f)}`;
}
