/**
 * The longer sections of report.md: method, per-benchmark details, labelled evaluation and the
 * reproducibility block. Split from markdown.ts only for size; same rules: escaped text, pure functions.
 */
import type { Timing } from '../audit/meter.js';
import type { AuditResults, BenchmarkResult } from '../audit/types.js';
import { codeBlock, escapeCell, truncate } from './escape.js';
import { blindBaselineNotes, blindBaselineRows } from './markdown-baseline.js';
import { displayCommand, displayPath, duration, modelName, pValue, share, signed, trafficLine, verdictMarker, withInterval, type ChartFile } from './format.js';

/** GFM table from cells that are already escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Error messages shown per benchmark; the rest are in results.json. */
const MAX_ERRORS_SHOWN = 5;

export function methodSection(results: AuditResults): string {
  const { neighbours, cut, prefixRatio } = results.config;
  // With M neighbours, s = j/M for j neighbours more member-like; s < cut for j < cut·M.
  const below = Math.ceil(cut * neighbours);
  const nullRate = below / (neighbours + 1);
  return [
    '## Method',
    'These are **membership-inference scores**, not n-gram overlap: no training data was searched. For each sampled ' +
      `item the reference model writes ${neighbours} neighbours, continuing the item's first ${Math.round(prefixRatio * 100)}% of words. ` +
      'The target scores the original and every neighbour with each detector (higher = more member-like). The item\'s rank ' +
      '*s* is the share of neighbours the target finds more member-like than the original; a model that memorised the item ' +
      `puts it near the top, so *s* is small. A benchmark's number is the share of items with *s* < ${cut}, one number per detector.`,
    `**The null is about ${share(nullRate)}, not 0.** If the original were exchangeable with its neighbours, its position among the ` +
      `${neighbours + 1} texts would be uniform and ${below}/${neighbours + 1} ≈ ${nullRate.toFixed(3)} of items would fall below the cut by chance. ` +
      'Human-written items and sampled neighbours are not exchangeable, so real clean models sit above that.',
    '**Why the control matters.** The same statistic with the reference model in the target\'s seat shows how high a presumably ' +
      'clean model scores on these items and neighbours. It drifts by benchmark: a base Llama-2-70B scores 0.89 on GSM8K under the ' +
      'upstream tool. The verdict reads the target against its control: the paired difference of the two shares, its bootstrap ' +
      'interval, McNemar\'s test on the items only one side flags, and the binomial test against the null are in the details below. ' +
      '(Comparing the two models\' raw scores would say nothing: two models score the same text differently whether or not either saw it.)',
  ].join('\n\n');
}

export function benchmarkDetails(bench: BenchmarkResult, charts: readonly ChartFile[]): string {
  const skipped = bench.skippedReasons.length > 0
    ? `${bench.skipped} (${bench.skippedReasons.map((r) => `${escapeCell(truncate(r.reason, 80))}: ${r.count}`).join('; ')})`
    : String(bench.skipped);
  const facts = table(['Item', 'Value'], [
    ['Task', escapeCell(bench.task)],
    ['Source', `${escapeCell(displayPath(bench.source))} (split ${escapeCell(bench.split)})`],
    ['Rows read', String(bench.rowsRead)],
    ['Skipped', skipped],
    ['Samples scored / planned', `${bench.samplesScored} / ${bench.samplesPlanned}`],
    ['Errors', String(bench.errors)],
    ['Cache hits', String(bench.cacheHits)],
    ['Neighbours scored', String(bench.neighboursScored)],
    ['Neighbours saved by early stopping', String(bench.neighboursSaved)],
    ['Duration', duration(bench.durationMs)],
  ]);
  const stats = table(
    ['Detector', 'Contamination [95% CI]', 'Null', 'p (binomial vs null)', 'Control [95% CI]', 'Difference [95% CI]', 'McNemar (target-only / control-only, p)', 'Verdict', 'Upstream reading'],
    bench.detectors.map((d) => [
      escapeCell(d.detector),
      withInterval(d.contamination, d.interval),
      share(d.nullRate),
      pValue(d.pValue),
      withInterval(d.control.contamination, d.control.interval),
      `${signed(d.difference.value)} [${signed(d.difference.low)}, ${signed(d.difference.high)}]`,
      Number.isNaN(d.mcnemar.pValue) ? '–' : `${d.mcnemar.targetOnly} / ${d.mcnemar.controlOnly} (${pValue(d.mcnemar.pValue)})`,
      verdictMarker(d.verdict),
      verdictMarker(d.absoluteVerdict),
    ]),
  );
  const why = `Verdict (${escapeCell(bench.verdict.detector)}, ${bench.verdict.basis} reading): ${verdictMarker(bench.verdict.verdict)}: ${escapeCell(bench.verdict.reason)}.`;
  const parts = [`### ${escapeCell(bench.name)}`, facts, stats, why];
  if (bench.errorMessages.length > 0) {
    const shown = bench.errorMessages.slice(0, MAX_ERRORS_SHOWN).map((m) => `- ${escapeCell(truncate(m))}`);
    const rest = bench.errorMessages.length - shown.length;
    parts.push(['Errors (per sample; counted, not fatal):', ...shown, ...(rest > 0 ? [`- … and ${rest} more in results.json`] : [])].join('\n'));
  }
  if (bench.notes.length > 0) parts.push(bench.notes.map((n) => `- Note: ${escapeCell(truncate(n))}`).join('\n'));
  const mine = charts.filter((c) => c.benchmark === bench.name);
  if (mine.length > 0) {
    const first = mine[0];
    parts.push(
      `![Neighbour-rank distribution, ${escapeCell(first.detector)}](${first.file})\n\n` +
        `Rank charts: ${mine.map((c) => `[${escapeCell(c.detector)}](${c.file})`).join(' · ')}`,
    );
  }
  return parts.join('\n\n');
}

function tprLabel(fpr: string): string {
  const pct = Number(fpr) * 100;
  return Number.isFinite(pct) ? `TPR@${Number(pct.toPrecision(3))}% FPR` : `TPR@${escapeCell(fpr)} FPR`;
}

/** Labelled evaluation (members/non-members known, e.g. WikiMIA) with the blind baseline, or null without labels. */
export function labelledTable(results: AuditResults): string | null {
  const entries = results.benchmarks.flatMap((b) => b.detectors.filter((d) => d.labelled).map((d) => ({ b, d, l: d.labelled! })));
  const baselines = results.benchmarks.filter((b) => b.blindBaseline);
  if (entries.length === 0 && baselines.length === 0) return null;
  const fprs = [...new Set(entries.flatMap((e) => Object.keys(e.l.tprAtFpr)))].sort((a, b) => Number(a) - Number(b));
  const detectorRows = (bench: BenchmarkResult): string[][] =>
    entries.filter((e) => e.b === bench).map(({ b, d, l }) => [
      escapeCell(b.name),
      escapeCell(d.detector),
      withInterval(l.auroc, l.interval),
      ...fprs.map((f) => (l.tprAtFpr[f] === undefined ? '–' : share(l.tprAtFpr[f]))),
      share(l.fprAt95Tpr),
      `${l.members} / ${l.nonMembers}`,
    ]);
  const rendered = table(
    ['Benchmark', 'Detector', 'AUROC [95% CI]', ...fprs.map(tprLabel), 'FPR@95% TPR', 'Members / non-members'],
    results.benchmarks.flatMap((b) => [...detectorRows(b), ...blindBaselineRows(b, fprs.length)]),
  );
  return baselines.length > 0 ? [rendered, blindBaselineNotes(baselines)].join('\n\n') : rendered;
}

export function reproducibility(results: AuditResults): string {
  const { config, models } = results;
  const model = (m: AuditResults['models']['target']): string => {
    // Sorted by key: results.json stores backend details alphabetically, so a re-rendered report is identical.
    const details = Object.entries(m.details)
      .filter(([, v]) => v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${escapeCell(k)} ${escapeCell(String(v))}`)
      .join(', ');
    const where = m.kind === 'remote' ? `served at ${escapeCell(m.location)}` : 'local ONNX';
    const hashed = m.weightsHashed ? 'weights and tokenizer hashed' : 'remote weights not hashed (URL, served model, context length and tokenizer only)';
    return `${escapeCell(modelName(m))}, ${where}, fingerprint ${escapeCell(m.fingerprint.slice(0, 16))} (${hashed}); ${details}${m.traffic ? `; ${trafficLine(m.traffic)}` : ''}`;
  };
  const rows: string[][] = [
    ['Target', model(models.target)],
    ['Reference', model(models.reference)],
    ['Mode', config.mode],
    ['Seed', String(config.seed)],
    ['Sampling', `${config.sampling}, ${config.samples} per benchmark`],
    ['Detectors', config.detectors.map(escapeCell).join(', ')],
    ['Neighbours', `${config.neighbours} per sample, prefix ${config.prefixRatio} of words, cut s < ${config.cut}, early stopping ${config.earlyStop ? 'on' : 'off'}`],
    ['Benchmarks', config.benchmarks.map((b) => `${escapeCell(b.name)} (${escapeCell(b.task)}: ${escapeCell(displayPath(b.path))}${b.split ? `, ${escapeCell(b.split)}` : ''})`).join('; ')],
    ['Tool', `${results.tool.name} ${escapeCell(results.tool.version)}`],
    ['Run', `${escapeCell(results.startedAt)} to ${escapeCell(results.finishedAt)} (${duration(results.durationMs)}), ${results.modelCalls} model calls`],
    ...(results.timing ? [['Time spent', timingLine(results.timing)]] : []),
  ];
  return [table(['Setting', 'Value'], rows), 'Command (local paths shortened; results.json keeps them):', codeBlock(displayCommand(results.command), 'sh')].join('\n\n');
}

/** Where the wall time went; side by side the model phases overlap, so they may add up to more. */
export function timingLine(t: Timing): string {
  const p = t.phasesMs;
  const part = (label: string, ms: number) => `${label} ${duration(ms)}`;
  const models = [part('reference sampling', p.referenceSampling), part('target scoring', p.targetScoring), part('control scoring', p.referenceScoring)].join(', ');
  const own = [part('statistics', p.statistics), part('reading benchmarks', p.loading), part('cache', p.cache)].join(', ');
  const how = t.sideBySide ? 'models side by side, so their phases overlap' : 'models one after the other';
  const w = t.work;
  const work = w ? `; ${w.targetTokensScored} tokens scored by the target, ${w.referenceTokensScored} by the reference, ${w.textsSampled} neighbours sampled` : '';
  return `${models} (${how}); ${own}${work}`;
}
