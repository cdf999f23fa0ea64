/**
 * Which detector leads the display, and the drill-down's order: most suspicious first. Pure.
 */
import type { AuditConfig, Estimate, SampleRecord } from '../audit/types.js';
import type { BenchmarkProgress } from './state.js';

/**
 * The detector the table and the sample list rank by: the first configured one; before the
 * config arrives, whatever the data names first.
 */
export function primaryDetector(config: AuditConfig | undefined, benchmark?: BenchmarkProgress): string | undefined {
  return (
    config?.detectors[0] ??
    benchmark?.estimates[0]?.detector ??
    benchmark?.result?.detectors[0]?.detector ??
    Object.keys(benchmark?.samples[0]?.ranks ?? {})[0]
  );
}

/**
 * The benchmark's figure for `detector`: the final result once finished (it is the number the
 * report prints), the running estimate before.
 */
export function currentEstimate(benchmark: BenchmarkProgress, detector: string | undefined): Estimate | undefined {
  const final = benchmark.result?.detectors;
  if (final && final.length > 0) {
    const d = final.find((r) => r.detector === detector) ?? final[0];
    return {
      detector: d.detector,
      contamination: d.contamination,
      interval: d.interval,
      control: d.control.contamination,
      difference: d.difference,
      verdict: d.verdict,
      absoluteVerdict: d.absoluteVerdict,
    };
  }
  return benchmark.estimates.find((e) => e.detector === detector) ?? benchmark.estimates[0];
}

function orMissing(value: number | undefined, missing: number): number {
  return value === undefined || Number.isNaN(value) ? missing : value;
}

/**
 * Rank s ascending (a low s means few neighbours look more member-like than the original), then
 * score descending (higher = more member-like), then id for a stable order. Samples without the
 * detector sort last.
 */
export function sortBySuspicion(samples: readonly SampleRecord[], detector: string | undefined): SampleRecord[] {
  if (detector === undefined) return [...samples];
  return [...samples].sort((a, b) => {
    const byRank = orMissing(a.ranks[detector], Infinity) - orMissing(b.ranks[detector], Infinity);
    if (byRank !== 0 && !Number.isNaN(byRank)) return byRank;
    const byScore = orMissing(b.scores[detector], -Infinity) - orMissing(a.scores[detector], -Infinity);
    if (byScore !== 0 && !Number.isNaN(byScore)) return byScore;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}
