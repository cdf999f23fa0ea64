/** The paper-workload goal row and its section of bench/results.md (issue 20 goal 2). */
import { availableParallelism } from 'node:os';
import type { Work } from '../src/audit/meter.js';
import type { GoalResult, HookResult, ModelResult } from './report.js';

/**
 * transformers.js's rates for the paper workload's estimate, from the scoring and sampling rounds of
 * this run: its end-to-end scoring rate per model (every token of every text, as its calls score
 * them), and contam over transformers.js on sampling.
 */
export interface PeerRates {
  /** transformers.js's tok/s scoring with log-probs (forward + JS log-softmax), target and reference model. */
  readonly targetTokPerSec: number;
  readonly referenceTokPerSec: number;
  /** contam over transformers.js, 100-row sampling (the reference samples). */
  readonly referenceSampling: number;
}

export function peerRates(models: readonly ModelResult[]): PeerRates | undefined {
  const [target, reference] = [models[0], models[models.length - 1]];
  const rate = (m: ModelResult | undefined) => m?.configs.find((c) => c.runtime === 'transformers.js' && c.workload === 'scoring' && c.name.includes('log-softmax'))?.tokPerSec.median;
  const referenceSampling = reference?.ratios.find((r) => r.name.startsWith('sampling: contam batched / transformers.js tiled'))?.median;
  const targetTokPerSec = rate(target);
  const referenceTokPerSec = rate(reference);
  if (targetTokPerSec === undefined || referenceTokPerSec === undefined || referenceSampling === undefined) return undefined;
  return { targetTokPerSec, referenceTokPerSec, referenceSampling };
}

const num = (h: HookResult, key: string): number => h[key] as number;
/** CPU time over wall time: how many of the machine's cores the audit kept busy. */
const cores = (h: HookResult, key: string): string => (typeof h[key] === 'number' ? `CPU ${num(h, key).toFixed(2)} of ${availableParallelism()} cores` : 'CPU not measured');
const targetTokens = (h: HookResult): string => (h.work ? `, ${(h.work as Work).targetTokensScored} tokens scored by the target` : '');
const s = (x: number) => (x >= 600 ? `${(x / 60).toFixed(1)} min` : `${x.toFixed(0)} s`);

export function paperGoal(h: HookResult | undefined): GoalResult {
  const goal = "the paper's workload (4 benchmarks x 100 items x 100 neighbours, control, early stopping): wall time by phase; then both cores busy";
  const target = 'faster than transformers.js; side by side faster than one after the other';
  if (!h || h.status !== 'measured') return { goal, target, measured: String(h?.reason ?? 'pending'), status: 'pending' };
  const tjs = h.transformersJsProjectedSecondsAt100 as number | undefined;
  const p = h.phasesSeconds as Record<string, number>;
  const measured =
    `${s(num(h, 'projectedSecondsAt100'))} projected from ${num(h, 'samples')} items (${s(num(h, 'wallSeconds'))} measured${targetTokens(h)}, models one after the other, ${cores(h, 'coresBusy')}); ` +
    `phases: reference sampling ${s(p.referenceSampling)}, target scoring ${s(p.targetScoring)}, control scoring ${s(p.controlScoring)}, statistics ${s(p.statistics)}, I/O ${s(p.io)}` +
    (tjs !== undefined ? `; transformers.js (estimate) ${s(tjs)}, ${(tjs / num(h, 'projectedSecondsAt100')).toFixed(2)}x` : '') +
    `; --side-by-side (${cores(h, 'sideBySideCoresBusy')}) ${num(h, 'sideBySideSpeedup').toFixed(2)}x one after the other`;
  const met = num(h, 'sideBySideSpeedup') > 1 && (tjs === undefined || tjs > num(h, 'projectedSecondsAt100'));
  return { goal, target, measured, status: met ? 'met' : 'not met' };
}

/**
 * The work behind the wall time. How long the bench models' neighbours run and how soon early
 * stopping decides set it, so two runs' times compare only beside their work.
 */
function workLine(h: HookResult): string[] {
  const w = h.work as Work | undefined;
  if (!w) return [];
  const p = h.phasesSeconds as Record<string, number>;
  const rate = (tokens: number, seconds: number) => (seconds > 0 ? `${Math.round(tokens / seconds)} tok/s` : 'no time');
  return [
    '',
    `Work (default): the target scored ${w.targetTokensScored} tokens (${rate(w.targetTokensScored, p.targetScoring)}), the reference ${w.referenceTokensScored} (${rate(w.referenceTokensScored, p.controlScoring)}), and ${w.textsSampled} neighbours were sampled.`,
  ];
}

export function paperSection(h: HookResult): string[] {
  const row = (label: string, p: Record<string, number>, wall: number) =>
    `| ${label} | ${s(wall)} | ${s(p.referenceSampling)} | ${s(p.targetScoring)} | ${s(p.controlScoring)} | ${s(p.statistics)} | ${s(p.io)} |`;
  return [
    `Paper workload (${h.target} target, ${h.reference} reference; 4 benchmarks x ${h.samplesPerBenchmark} items x ${h.neighbours} neighbours, measured; side by side the model phases overlap):`,
    '',
    '| run | wall | reference sampling | target scoring | control scoring | statistics | I/O |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('one after the other (default)', h.phasesSeconds as Record<string, number>, num(h, 'wallSeconds')),
    row('--side-by-side', h.sideBySidePhasesSeconds as Record<string, number>, num(h, 'sideBySideWallSeconds')),
    '',
    `Per benchmark (default): ${Object.entries(h.perBenchmarkSeconds as Record<string, number>).map(([k, v]) => `${k} ${s(v)}`).join(', ')}. Neighbours scored ${h.neighboursScored}, saved by early stopping ${h.neighboursSaved}.`,
    ...workLine(h),
    '',
  ];
}
