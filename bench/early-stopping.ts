/**
 * Issue #8 item 5: neighbours scored per sample with and without early stopping, on a clean fixture
 * benchmark, everything else identical. The models are the demo's n-gram pair, estimated by our own
 * code from the demo text, and the benchmark is demo-clean, whose items neither model saw: a clean
 * benchmark for a real (if tiny) language model. Random-weight fixtures are no such thing: their
 * near-uniform next-token distributions make every rank a coin toss. The flags (target and control,
 * every detector) must come out the same in both runs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAudit, type AuditOutput } from '../src/audit/run.js';
import { demoConfig } from '../src/cli/commands/demo.js';
import { prepareDemo } from '../src/demo/prepare.js';
import type { HookResult } from './report.js';

export interface EarlyStoppingOptions {
  readonly cacheDir: string;
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

export async function measureEarlyStopping(options: EarlyStoppingOptions): Promise<HookResult> {
  const root = join(options.cacheDir, 'early-stop');
  mkdirSync(root, { recursive: true });
  const demo = await prepareDemo({ cacheDir: root, size: options.quick ? 'ci' : 'full' });
  const base = demoConfig(demo, root, { cache: false, outDir: root });
  const clean = demo.benchmarks.filter((b) => b.name === demo.expected.clean);
  const samples = options.quick ? 20 : 40;
  const config = (earlyStop: boolean) => ({ ...base, benchmarks: clean, samples, earlyStop });
  const runs: { earlyStop: boolean; ms: number; out: AuditOutput }[] = [];
  for (const earlyStop of [true, false]) {
    options.log(`early stopping: audit of ${samples} clean samples, earlyStop=${earlyStop}`);
    const t = performance.now();
    const out = await runAudit(config(earlyStop));
    runs.push({ earlyStop, ms: performance.now() - t, out });
  }
  const [on, off] = runs;
  const perSample = (r: (typeof runs)[number]) => {
    const b = r.out.results.benchmarks[0];
    return b.neighboursScored / Math.max(1, b.samplesScored);
  };
  const flagsOf = (r: (typeof runs)[number]) =>
    new Map(r.out.samples.map((s) => [s.id, JSON.stringify({ f: s.flags, c: s.controlFlags })]));
  const a = flagsOf(on);
  const b = flagsOf(off);
  const differing = [...a].filter(([id, f]) => b.get(id) !== f).map(([id]) => id);
  // Which detectors flag (rank < cut) how many samples: a flagged sample needs all its neighbours.
  const flaggedBy: Record<string, number> = {};
  for (const rec of off.out.samples) {
    for (const [k, v] of Object.entries(rec.flags)) if (v) flaggedBy[`target ${k}`] = (flaggedBy[`target ${k}`] ?? 0) + 1;
    for (const [k, v] of Object.entries(rec.controlFlags)) if (v) flaggedBy[`control ${k}`] = (flaggedBy[`control ${k}`] ?? 0) + 1;
  }
  const withStop = perSample(on);
  const without = perSample(off);
  return {
    status: 'measured',
    samples,
    neighbours: config(true).neighbours,
    neighboursPerSampleWith: withStop,
    neighboursPerSampleWithout: without,
    ratio: without / withStop,
    flagsIdentical: differing.length === 0 && a.size === b.size,
    differingSamples: differing,
    flaggedBy,
    msWith: on.ms,
    msWithout: off.ms,
    reason: `${without.toFixed(1)} → ${withStop.toFixed(1)} neighbours per sample (${samples} samples)`,
  };
}
