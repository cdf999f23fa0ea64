/** The paper-workload goal row and its section of bench/results.md (issue 20 goal 2). */
import type { GoalResult, HookResult, ModelResult } from './report.js';

/** contam over transformers.js per phase, from the scoring and sampling rounds of this run. */
export function peerRatios(models: readonly ModelResult[]): { targetScoring: number; referenceScoring: number; referenceSampling: number } | undefined {
  const [target, reference] = [models[0], models[models.length - 1]];
  const ratio = (m: ModelResult | undefined, prefix: string) => m?.ratios.find((r) => r.name.startsWith(prefix))?.median;
  const targetScoring = ratio(target, 'scoring: contam default / transformers.js forward + JS log-softmax');
  const referenceScoring = ratio(reference, 'scoring: contam default / transformers.js forward + JS log-softmax');
  const referenceSampling = ratio(reference, 'sampling: contam batched / transformers.js tiled');
  if (targetScoring === undefined || referenceScoring === undefined || referenceSampling === undefined) return undefined;
  return { targetScoring, referenceScoring, referenceSampling };
}

const num = (h: HookResult, key: string): number => h[key] as number;
const s = (x: number) => (x >= 600 ? `${(x / 60).toFixed(1)} min` : `${x.toFixed(0)} s`);

export function paperGoal(h: HookResult | undefined): GoalResult {
  const goal = "the paper's workload (4 benchmarks x 100 items x 100 neighbours, control, early stopping): wall time by phase, both cores busy";
  const target = 'side by side faster than one after the other; faster than transformers.js';
  if (!h || h.status !== 'measured') return { goal, target, measured: String(h?.reason ?? 'pending'), status: 'pending' };
  const tjs = h.transformersJsProjectedSecondsAt100 as number | undefined;
  const p = h.phasesSeconds as Record<string, number>;
  const measured =
    `${s(num(h, 'projectedSecondsAt100'))} projected from ${num(h, 'samples')} items (${s(num(h, 'wallSeconds'))} measured); ` +
    `side by side ${num(h, 'speedup').toFixed(2)}x one after the other (${s(num(h, 'apartProjectedSecondsAt100'))}), models busy ${num(h, 'modelsBusy').toFixed(2)} of 2 cores (vs ${num(h, 'apartModelsBusy').toFixed(2)}); ` +
    `phases: reference sampling ${s(p.referenceSampling)}, target scoring ${s(p.targetScoring)}, control scoring ${s(p.controlScoring)}, statistics ${s(p.statistics)}, I/O ${s(p.io)}` +
    (tjs !== undefined ? `; transformers.js (estimate) ${s(tjs)}, ${(tjs / num(h, 'projectedSecondsAt100')).toFixed(2)}x` : '');
  const met = num(h, 'speedup') > 1 && (tjs === undefined || tjs > num(h, 'projectedSecondsAt100'));
  return { goal, target, measured, status: met ? 'met' : 'not met' };
}

export function paperSection(h: HookResult): string[] {
  const row = (label: string, p: Record<string, number>, wall: number) =>
    `| ${label} | ${s(wall)} | ${s(p.referenceSampling)} | ${s(p.targetScoring)} | ${s(p.controlScoring)} | ${s(p.statistics)} | ${s(p.io)} |`;
  return [
    `Paper workload (${h.target} target, ${h.reference} reference; 4 benchmarks x ${h.samplesPerBenchmark} items x ${h.neighbours} neighbours, measured; model phases overlap side by side):`,
    '',
    '| run | wall | reference sampling | target scoring | control scoring | statistics | I/O |',
    '|---|---:|---:|---:|---:|---:|---:|',
    row('one after the other', h.apartPhasesSeconds as Record<string, number>, num(h, 'apartWallSeconds')),
    row('side by side (default)', h.phasesSeconds as Record<string, number>, num(h, 'wallSeconds')),
    '',
    `Per benchmark (side by side): ${Object.entries(h.perBenchmarkSeconds as Record<string, number>).map(([k, v]) => `${k} ${s(v)}`).join(', ')}. Neighbours scored ${h.neighboursScored}, saved by early stopping ${h.neighboursSaved}.`,
    '',
  ];
}
