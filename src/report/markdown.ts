/**
 * report.md for release notes: a Table-9-style summary (SOLAR paper, appendix C) with intervals,
 * control and verdicts, the thresholds, other models' published numbers clearly set apart, the
 * method in plain words, per-benchmark details and a reproducibility block. Pure: data in, text out.
 * Every piece of dataset, config or model text goes through escapeCell.
 */
import type { AuditResults, BenchmarkResult } from '../audit/types.js';
import { SOLAR_CARD_LINE } from '../stats/verdict.js';
import { escapeCell } from './escape.js';
import { modelName, share, signed, verdictMarker, withInterval, type ChartFile } from './format.js';
import { benchmarkDetails, labelledTable, methodSection, reproducibility, table } from './markdown-sections.js';
import type { PublishedReferences, PublishedValue } from './references.js';
import { dataOverlapNotes, dataOverlapRow, hasDataOverlap } from './data-overlap.js';

export interface MarkdownOptions {
  /** Other models' published numbers; the section is left out when absent. */
  readonly references?: PublishedReferences;
  /** Chart files written beside report.md; no chart links when absent (e.g. `-o report.md` alone). */
  readonly charts?: readonly ChartFile[];
}


export function renderMarkdown(results: AuditResults, options: MarkdownOptions = {}): string {
  const { target, reference } = results.models;
  const parts: string[] = [`# Contamination audit: ${escapeCell(modelName(target))}`];
  if (results.partial) parts.push(partialBanner(results));
  parts.push(
    `Target **${escapeCell(modelName(target))}**, reference (control) **${escapeCell(modelName(reference))}**, ` +
      `${results.config.mode} mode, audited ${escapeCell(results.startedAt)} with contam ${escapeCell(results.tool.version)}.`,
  );
  parts.push('## Results', headlineTable(results), headlineNotes(results), '### Every detector', detectorTable(results));
  if (options.references) parts.push(publishedSection(options.references));
  parts.push(methodSection(results), '## Per-benchmark details');
  for (const bench of results.benchmarks) parts.push(benchmarkDetails(bench, options.charts ?? []));
  const labelled = labelledTable(results);
  if (labelled) parts.push('## Labelled evaluation', labelled);
  parts.push('## Reproducibility', reproducibility(results));
  return `${parts.join('\n\n')}\n`;
}

function partialBanner(results: AuditResults): string {
  const planned = results.benchmarks.reduce((n, b) => n + b.samplesPlanned, 0);
  const scored = results.benchmarks.reduce((n, b) => n + b.samplesScored, 0);
  return (
    `> ⚠️ **Partial run.** The audit stopped before it finished: ${scored} of ${planned} planned samples were scored. ` +
    'The numbers below cover only the scored samples and their intervals are wider; do not quote them as a full audit.'
  );
}

/**
 * Table 9's shape: one row for the target and one for the control (the reference in the target's
 * seat), the benchmarks as columns; each cell the primary detector's share, and the target's cells
 * its verdict. The per-detector numbers are in the details below.
 */
function headlineTable(results: AuditResults): string {
  const { target, reference } = results.models;
  const header = ['Model', ...results.benchmarks.map((b) => escapeCell(b.name))];
  const cell = (b: BenchmarkResult, control: boolean): string => {
    const d = b.detectors.find((x) => x.detector === b.verdict.detector);
    if (!d) return '–';
    if (control) return Number.isNaN(d.control.contamination) ? 'no control' : withInterval(d.control.contamination, d.control.interval);
    return `${withInterval(d.contamination, d.interval)} ${verdictMarker(b.verdict.verdict)}`;
  };
  const rows = [
    [`${escapeCell(modelName(target))} (target)`, ...results.benchmarks.map((b) => cell(b, false))],
    [`${escapeCell(modelName(reference))} (control: reference in the target's seat)`, ...results.benchmarks.map((b) => cell(b, true))],
  ];
  // The data side (--overlap) sits in the same columns, so both halves read in one table.
  if (hasDataOverlap(results)) rows.push(dataOverlapRow(results));
  return table(header, rows);
}

/** The detector each benchmark's verdict comes from, and the rule that decided it. */
function headlineNotes(results: AuditResults): string {
  const primaries = [...new Set(results.benchmarks.map((b) => b.verdict.detector))].filter(Boolean);
  const { cut, margins, thresholds, mode } = results.config;
  const rule = mode === 'compat'
    ? `Verdicts are the upstream reading (compat mode): ⚠️ suspicious above **${share(thresholds.suspicious)}**, 🚩 contaminated above **${share(thresholds.contaminated)}**.`
    : `Verdicts are relative to the control (fixed mode): 🚩 contaminated when target − control is significant (McNemar's test, p < 0.05) and its 95% interval clears **+${share(margins.contaminated)}**; ` +
      `⚠️ suspicious when significant but smaller${margins.suspicious > 0 ? ` (at least **+${share(margins.suspicious)}**)` : ''}; ✅ clean when the target is not distinguishable from the control. ` +
      `The upstream reading (share above ${share(thresholds.suspicious)} / ${share(thresholds.contaminated)}) is in the details.`;
  // Benchmarks of one size and control share get the same sentence: say it once for all of them.
  const bySentence = new Map<string, string[]>();
  for (const b of results.benchmarks) if (b.sensitivity) bySentence.set(b.sensitivity.sentence, [...(bySentence.get(b.sensitivity.sentence) ?? []), b.name]);
  const seen = [...bySentence].map(([sentence, names]) => `- What ${names.map(escapeCell).join(', ')} can see: ${escapeCell(sentence)}`);
  return [
    `Cells read \`share [95% Wilson interval]\`: the share of sampled items whose neighbour rank s is below ${cut} ` +
      `under ${primaries.map((p) => `**${escapeCell(p)}**`).join(', ') || 'the primary detector'} (the primary detector).`,
    '',
    `- ${rule}`,
    `- Reference line: the SOLAR-10.7B card calls values "well below **${SOLAR_CARD_LINE}**" clean; the upstream README uses 0.85.`,
    ...seen,
    ...dataOverlapNotes(results),
  ].join('\n');
}

/** Per benchmark and detector: share, control, difference, both readings. */
function detectorTable(results: AuditResults): string {
  const rows = results.benchmarks.flatMap((bench) =>
    bench.detectors.map((d) => [
      escapeCell(bench.name),
      escapeCell(d.detector) + (d.detector === bench.verdict.detector ? ' (primary)' : ''),
      String(d.samples),
      withInterval(d.contamination, d.interval),
      Number.isNaN(d.control.contamination) ? '–' : share(d.control.contamination),
      Number.isNaN(d.difference.value) ? '–' : `${signed(d.difference.value)} [${signed(d.difference.low)}, ${signed(d.difference.high)}]`,
      verdictMarker(d.verdict),
      verdictMarker(d.absoluteVerdict),
    ]),
  );
  return table(['Benchmark', 'Detector', 'n', `Share (s < ${results.config.cut}) [95% CI]`, 'Control', 'Target − control [95% CI]', 'Verdict', 'Upstream reading'], rows);
}

export function detectorKeys(results: AuditResults): string[] {
  const keys = new Set<string>(results.config.detectors);
  for (const bench of results.benchmarks) for (const d of bench.detectors) keys.add(d.detector);
  // Keep only detectors that produced a number somewhere, in configured order.
  return [...keys].filter((k) => results.benchmarks.some((b) => b.detectors.some((d) => d.detector === k)));
}

const PUBLISHED_LABELS: Readonly<Record<string, string>> = {
  arc: 'ARC', mmlu: 'MMLU', truthfulqa: 'TruthfulQA', gsm8k: 'GSM8K', hellaswag: 'HellaSwag', winogrande: 'Winogrande',
};

function publishedCell(value: PublishedValue | undefined): string {
  if (typeof value === 'number') return share(value);
  return value === 'not-supported' ? 'not supported' : '–';
}

function publishedSection(refs: PublishedReferences): string {
  const header = ['Model (other models\' published numbers)', 'Neighbour model', ...refs.benchmarks.map((b) => escapeCell(PUBLISHED_LABELS[b] ?? b)), 'Source'];
  const rows = refs.models.map((m) => [
    escapeCell(m.model) + (m.role === 'control' ? ' (presumed-clean control)' : ''),
    m.referenceModel === null ? 'not stated' : escapeCell(m.referenceModel),
    ...refs.benchmarks.map((b) => publishedCell(m.results[b])),
    `[${escapeCell(m.source)}](${encodeURI(m.url).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16)}`)})`,
  ]);
  return [
    '## Other models\' published numbers, not this audit',
    `> These are other models' published numbers, not this audit. They were produced by ${escapeCell(refs.tool)} ` +
      `and copied from model cards; "–" means not reported. Neighbour models and sampling differ, so compare them with care.`,
    table(header, rows),
  ].join('\n\n');
}
