/** An AuditConfig for the bench's audit-level measurements, from the CLI's shipped defaults. */
import type { AuditConfig, BenchmarkSpec } from '../audit/types.js';
import { DEFAULTS } from '../cli/config.js';

export function benchAuditConfig(over: Partial<AuditConfig> & { target: string; reference: string; benchmarks: readonly BenchmarkSpec[] }): AuditConfig {
  return {
    dtype: undefined,
    samples: DEFAULTS.samples,
    seed: DEFAULTS.seed,
    sampling: DEFAULTS.sampling,
    detectors: [...DEFAULTS.detectors],
    neighbours: DEFAULTS.neighbours,
    prefixRatio: DEFAULTS.prefixRatio,
    cut: DEFAULTS.cut,
    mode: DEFAULTS.mode,
    earlyStop: DEFAULTS.earlyStop,
    thresholds: DEFAULTS.thresholds,
    failOn: DEFAULTS.failOn,
    strict: false,
    cache: { enabled: false, dir: '' },
    outputs: [],
    batchSize: DEFAULTS.batchSize,
    ...over,
  };
}
