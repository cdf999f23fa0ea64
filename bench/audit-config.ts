/** An AuditConfig for the bench's audit-level measurements, from the CLI's shipped defaults. */
import type { AuditConfig, BenchmarkSpec } from '../src/audit/types.js';
import { DEFAULTS } from '../src/cli/config.js';
import { parseModelSpec, type ModelSpec } from '../src/models/registry.js';

type BenchOver = Omit<Partial<AuditConfig>, 'target' | 'reference'> & { benchmarks: readonly BenchmarkSpec[]; target: string | ModelSpec; reference: string | ModelSpec };

export function benchAuditConfig(over: BenchOver): AuditConfig {
  const { target, reference, ...rest } = over;
  return {
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
    margins: DEFAULTS.margins,
    failOn: DEFAULTS.failOn,
    strict: false,
    cache: { enabled: false, dir: '' },
    outputs: [],
    onnx: { ...DEFAULTS.onnx },
    remote: { ...DEFAULTS.remote },
    ...rest,
    target: typeof target === 'string' ? parseModelSpec(target) : target,
    reference: typeof reference === 'string' ? parseModelSpec(reference) : reference,
  };
}
