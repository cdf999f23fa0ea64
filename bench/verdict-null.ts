/**
 * npm run verdict-null: how often the fixed-mode verdict rule (src/stats/verdict.ts) cries wolf, and
 * how much memorisation it needs, on simulated benchmarks whose truth is set: per item a control flag,
 * a target flag and whether the target memorised it. Intervals are the paired bootstrap the reports
 * use (500 resamples). Writes bench/verdict-null.md; the README quotes it.
 */
import { writeFileSync } from 'node:fs';
import { DEFAULT_MARGINS, DEFAULT_THRESHOLDS } from '../src/stats/verdict.js';
import { simulateVerdicts, type SimulatedBenchmark } from '../src/stats/verdict-simulation.js';

const REPS = Number(process.env.REPS ?? 500);
const options = { reps: REPS, seed: 7, margins: DEFAULT_MARGINS, thresholds: DEFAULT_THRESHOLDS, interval: 'bootstrap' as const, bootstrapResamples: 500 };
const base = { neighbours: 100, cut: 0.1, memorised: 0, flagRate: 0 };

function row(label: string, b: SimulatedBenchmark): string {
  const counts = simulateVerdicts(b, options);
  const rate = (x: number): string => (x / REPS).toFixed(3);
  return `| ${label} | ${b.n} | ${b.controlRate.toFixed(2)} | ${b.targetRate.toFixed(2)} | ${b.agreement} | ${b.memorised} | ${b.flagRate} | ${rate(counts.suspicious + counts.contaminated)} | ${rate(counts.contaminated)} |`;
}

const started = Date.now();
const lines = [
  `# The verdict rule on simulated benchmarks (${REPS} benchmarks per row)`,
  '',
  `Margins ${DEFAULT_MARGINS.suspicious} / ${DEFAULT_MARGINS.contaminated}, alpha 0.05, 100 neighbours, cut 0.1 (null rate 0.099).`,
  '"agreement" is the chance the target flags an unmemorised item exactly when the control does; otherwise it flags at its own rate.',
  '',
  '| Case | n | control rate | target rate | agreement | memorised | flag rate if memorised | not clean | contaminated |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const n of [40, 100, 200]) {
  for (const p of [0.02, 0.1, 0.3, 0.9]) {
    for (const agreement of [0, 0.8]) lines.push(row('null: exchangeable', { ...base, n, controlRate: p, targetRate: p, agreement }));
  }
}
for (const n of [100, 200]) {
  for (const shift of [0.03, 0.05, 0.1]) {
    lines.push(row(`clean target ${shift} above its control`, { ...base, n, controlRate: 0.2, targetRate: 0.2 + shift, agreement: 0 }));
  }
}
for (const n of [40, 100, 200]) {
  for (const [memorised, flagRate] of [[0.1, 1], [0.25, 1], [0.25, 0.5], [0.5, 0.5], [0.5, 0.2]] as const) {
    lines.push(row('memorised', { ...base, n, controlRate: 0.02, targetRate: 0.02, agreement: 0.8, memorised, flagRate }));
  }
}
lines.push('', `Simulated in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
const text = `${lines.join('\n')}\n`;
writeFileSync(new URL('../../bench/verdict-null.md', import.meta.url), text);
process.stdout.write(text);
