/**
 * Issue 20 goal 2: the SOLAR paper's workload as one figure. An audit of ARC, MMLU, TruthfulQA and
 * GSM8K from ../shared/data, `samples` items each, 100 neighbours, control included, early stopping
 * on, cache and reports written as the CLI writes them; target GPT-2-small-shaped, reference the
 * smaller bench model. Its wall time is split by phase from results.json's own timing.
 *
 * It runs twice, the models one after the other (each on every core, the default) and side by
 * side (--side-by-side), and each time is projected to 100 items per benchmark from its benchmarks' time per
 * item. transformers.js is not run on the whole audit: its figure is estimated from the
 * tokens the audit scored and the rates measured earlier in the same bench run (peerEstimateMs).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit, type AuditOutput } from '../src/audit/run.js';
import type { Phase, Timing } from '../src/audit/meter.js';
import { writeReports } from '../src/report/write.js';
import type { BenchmarkSpec } from '../src/audit/types.js';
import { benchAuditConfig } from './audit-config.js';
import { sharedDataDir, type BenchModel } from './models.js';
import type { HookResult } from './report.js';
import type { PeerRates } from './paper-goal.js';

export interface PaperWorkloadOptions {
  readonly target: BenchModel;
  readonly reference: BenchModel;
  /** Items per benchmark of the whole audit (100 in the paper's shape). */
  readonly samples: number;
  readonly neighbours: number;
  /** transformers.js's rates, measured earlier in this run (undefined: no estimate). */
  readonly peerRates?: PeerRates;
  readonly log: (line: string) => void;
}

export function paperBenchmarks(): BenchmarkSpec[] | undefined {
  const data = join(sharedDataDir(), 'benchmarks');
  const specs: BenchmarkSpec[] = [
    { name: 'arc', task: 'arc', path: join(data, 'arc', 'ARC-Challenge-Test.jsonl') },
    { name: 'mmlu', task: 'mmlu', path: join(data, 'mmlu') },
    { name: 'truthfulqa', task: 'truthfulqa', path: join(data, 'truthfulqa', 'TruthfulQA.csv') },
    { name: 'gsm8k', task: 'gsm8k', path: join(data, 'gsm8k', 'test.jsonl') },
  ];
  return specs.every((s) => existsSync(s.path)) ? specs : undefined;
}

interface Measured {
  readonly wallMs: number;
  readonly timing: Timing;
  readonly reportMs: number;
  readonly samples: number;
  readonly neighboursScored: number;
  readonly neighboursSaved: number;
  readonly perBenchmarkMs: Record<string, number>;
  /** Process CPU time (every thread: main, workers, onnxruntime's pools) over wall time. */
  readonly cpuBusy: number;
}

async function audit(o: PaperWorkloadOptions, samples: number, sideBySide: boolean): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'contam-paper-'));
  try {
    const config = benchAuditConfig({
      target: o.target.dir,
      reference: o.reference.dir,
      benchmarks: paperBenchmarks() ?? [],
      samples,
      neighbours: o.neighbours,
      cache: { enabled: true, dir: join(dir, 'cache') },
      outputs: [],
      onnx: { batchSize: 16, sideBySide },
    });
    const started = performance.now();
    const cpu = process.cpuUsage();
    let done = 0;
    const out: AuditOutput = await runAudit(config, {
      onEvent: (e) => {
        if (e.type === 'sample-done' && ++done % 20 === 0) o.log(`paper workload: ${done} samples, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      },
    });
    const reportStarted = performance.now();
    writeReports(out.results, out.samples, { dir: join(dir, 'reports'), });
    const reportMs = performance.now() - reportStarted;
    const b = out.results.benchmarks;
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return {
      wallMs,
      cpuBusy: (used.user + used.system) / 1000 / wallMs,
      timing: out.results.timing!,
      reportMs,
      samples: b.reduce((a, x) => a + x.samplesScored, 0),
      neighboursScored: b.reduce((a, x) => a + x.neighboursScored, 0),
      neighboursSaved: b.reduce((a, x) => a + x.neighboursSaved, 0),
      perBenchmarkMs: Object.fromEntries(b.map((x) => [x.name, x.durationMs])),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Phases in seconds, I/O being loading + cache + reports. */
function phases(m: Measured): Record<string, number> {
  const p = m.timing.phasesMs;
  const s = (x: number) => Math.round(x) / 1000;
  return {
    referenceSampling: s(p.referenceSampling),
    targetScoring: s(p.targetScoring),
    controlScoring: s(p.referenceScoring),
    statistics: s(p.statistics),
    io: s(p.loading + p.cache + m.reportMs),
  };
}

/**
 * The same audit in transformers.js's time: every token the models scored at transformers.js's
 * measured scoring rate (its calls score each text whole: contam's shared prefixes, which feed a
 * sample's neighbours' common tokens once, are not credited to it), sampling at contam's phase time
 * times the measured ratio, the rest as it is.
 */
function peerEstimateMs(m: Measured, r: PeerRates): number {
  const p: Record<Phase, number> = m.timing.phasesMs;
  const w = m.timing.work;
  if (!w) throw new Error('the audit did not count its work (timing.work)');
  return (w.targetTokensScored / r.targetTokPerSec) * 1000 + (w.referenceTokensScored / r.referenceTokPerSec) * 1000 + p.referenceSampling * r.referenceSampling + p.statistics + p.loading + p.cache + m.reportMs;
}

export async function measurePaperWorkload(o: PaperWorkloadOptions): Promise<HookResult> {
  if (!paperBenchmarks()) return { status: 'pending', reason: `${sharedDataDir()}/benchmarks: ARC, MMLU, TruthfulQA or GSM8K not found` };
  o.log(`paper workload: 4 benchmarks x ${o.samples} items x ${o.neighbours} neighbours, the models one after the other (each on every core, the default)`);
  const apart = await audit(o, o.samples, false);
  o.log(`paper workload: the same with --side-by-side: ${(apart.wallMs / 1000).toFixed(0)} s one after the other`);
  const together = await audit(o, o.samples, true);
  const estimate = o.peerRates ? peerEstimateMs(apart, o.peerRates) : undefined;
  const busy = (m: Measured) => (m.timing.phasesMs.targetScoring + m.timing.phasesMs.referenceScoring + m.timing.phasesMs.referenceSampling) / m.wallMs;
  // 100 items per benchmark, from each benchmark's own time per item (GSM8K's long texts cost most).
  const projected = (m: Measured) => Object.values(m.perBenchmarkMs).reduce((a, ms) => a + (ms / o.samples) * 100, 0) / 1000;
  return {
    status: 'measured',
    target: o.target.spec.name,
    reference: o.reference.spec.name,
    benchmarks: 4,
    samplesPerBenchmark: o.samples,
    neighbours: o.neighbours,
    samples: apart.samples,
    // The default: two local models one after the other (audit/seats.ts).
    wallSeconds: apart.wallMs / 1000,
    phasesSeconds: phases(apart),
    modelsBusy: busy(apart),
    coresBusy: apart.cpuBusy,
    perBenchmarkSeconds: Object.fromEntries(Object.entries(apart.perBenchmarkMs).map(([k, v]) => [k, v / 1000])),
    neighboursScored: apart.neighboursScored,
    neighboursSaved: apart.neighboursSaved,
    // The work itself, so runs on other bench models (longer neighbours, less early stopping) compare.
    work: apart.timing.work,
    projectedSecondsAt100: projected(apart),
    // --side-by-side: each model in a worker on every core, without spinning; two samples in flight.
    sideBySideWallSeconds: together.wallMs / 1000,
    sideBySidePhasesSeconds: phases(together),
    sideBySideModelsBusy: busy(together),
    sideBySideCoresBusy: together.cpuBusy,
    sideBySideSpeedup: apart.wallMs / together.wallMs,
    sideBySideProjectedSecondsAt100: projected(together),
    ...(estimate !== undefined ? { transformersJsEstimateSeconds: estimate / 1000, transformersJsProjectedSecondsAt100: (estimate / apart.wallMs) * projected(apart), peerRates: o.peerRates } : {}),
  };
}
