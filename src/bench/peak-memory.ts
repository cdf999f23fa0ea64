/**
 * Issue #8 item 6: peak resident memory of an audit whose plan is the whole MMLU test set.
 * Each measurement is a fresh child process (peak RSS is per process): the audit runs over the
 * whole plan and is stopped after a few samples; a second child plans only those few samples.
 * Equal peaks show memory does not grow with the dataset; the goal compares the whole-plan peak
 * with 1.5 x the model files + 300 MB (both models' files: an audit holds target and reference).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { BenchModel } from './models.js';
import { sharedDataDir } from './models.js';
import type { HookResult } from './report.js';

export interface PeakMemoryOptions {
  readonly model: BenchModel;
  /** The reference model of the audit (the smaller bench model). */
  readonly reference: BenchModel;
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

interface ChildResult {
  planned: number;
  done: number;
  maxRssBytes: number;
  ms: number;
}

function childScript(): string {
  const js = fileURLToPath(new URL('./peak-memory-child.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./peak-memory-child.ts', import.meta.url));
}

function runChild(args: string[]): ChildResult {
  // execArgv carries tsx's loader when the bench runs from source.
  const r = spawnSync(process.execPath, [...process.execArgv, childScript(), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`peak-memory child failed (${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(line) as ChildResult;
}

export async function measurePeakMemory(options: PeakMemoryOptions): Promise<HookResult> {
  const mmlu = join(sharedDataDir(), 'benchmarks', 'mmlu');
  if (!existsSync(join(mmlu, 'test'))) return { status: 'pending', reason: `${mmlu}/test not found` };
  const stopAfter = options.quick ? 2 : 3;
  const files = options.model.fileBytes + options.reference.fileBytes;
  const limitBytes = 1.5 * files + 300e6;
  options.log(`peak memory: audit over the whole MMLU test plan, stopped after ${stopAfter} samples`);
  const whole = runChild([options.model.dir, options.reference.dir, mmlu, 'all', String(stopAfter)]);
  options.log(`peak memory: audit over a ${stopAfter}-sample plan`);
  const small = runChild([options.model.dir, options.reference.dir, mmlu, String(stopAfter), String(stopAfter)]);
  return {
    status: 'measured',
    target: options.model.spec.name,
    reference: options.reference.spec.name,
    modelFilesBytes: files,
    limitBytes,
    peakBytes: whole.maxRssBytes,
    wholePlan: whole,
    smallPlan: small,
    growthBytes: whole.maxRssBytes - small.maxRssBytes,
    reason: `${(whole.maxRssBytes / 1e6).toFixed(0)} MB with ${whole.planned} samples planned vs ${(small.maxRssBytes / 1e6).toFixed(0)} MB with ${small.planned}; files ${(files / 1e6).toFixed(0)} MB`,
  };
}
