/**
 * report.md for release notes: a Table-9-style summary (SOLAR paper, appendix C) with intervals,
 * control and verdicts, the thresholds, other models' published numbers clearly set apart, the
 * method in plain words, per-benchmark details and a reproducibility block. Pure: data in, text out.
 * Every piece of dataset, config or model text goes through escapeCell.
 */
import type { AuditResults } from '../audit/types.js';
import { escapeCell } from './escape.js';
import { share, verdictMarker, withInterval, type ChartFile } from './format.js';
import { benchmarkDetails, labelledTable, methodSection, reproducibility, table } from './markdown-sections.js';
import type { PublishedReferences, PublishedValue } from './references.js';

export interface MarkdownOptions {
  /** Other models' published numbers; the section is left out when absent. */
  readonly references?: PublishedReferences;
  /** Chart files written beside report.md; no chart links when absent (e.g. `-o report.md` alone). */
  readonly charts?: readonly ChartFile[];
}

/** The SOLAR card calls values "well below 0.9" clean: drawn as a reference line, not a verdict. */
export const SOLAR_CARD_LINE = 0.9;

export function renderMarkdown(results: AuditResults, options: MarkdownOptions = {}): string {
  const { target, reference } = results.models;
  const parts: string[] = [`# Contamination audit: ${escapeCell(target.id)}`];
  if (results.partial) parts.push(partialBanner(results));
  parts.push(
    `Target **${escapeCell(target.id)}**, reference (control) **${escapeCell(reference.id)}**, ` +
      `${results.config.mode} mode, audited ${escapeCell(results.startedAt)} with contam ${escapeCell(results.tool.version)}.`,
  );
  parts.push('## Results', resultsTable(results), thresholds(results));
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

/** One row per benchmark; per detector three columns: contamination [Wilson 95% CI], control, verdict. */
function resultsTable(results: AuditResults): string {
  const detectors = detectorKeys(results);
  const header = ['Benchmark', 'n'];
  for (const key of detectors) {
    const k = escapeCell(key);
    header.push(`${k} (result < ${results.config.cut})`, `control (${k})`, `verdict (${k})`);
  }
  const rows = results.benchmarks.map((bench) => {
    const row = [escapeCell(bench.name), String(bench.samplesScored)];
    for (const key of detectors) {
      const d = bench.detectors.find((x) => x.detector === key);
      if (d) row.push(withInterval(d.contamination, d.interval), share(d.control.contamination), verdictMarker(d.verdict));
      else row.push('–', '–', '–');
    }
    return row;
  });
  return table(header, rows);
}

export function detectorKeys(results: AuditResults): string[] {
  const keys = new Set<string>(results.config.detectors);
  for (const bench of results.benchmarks) for (const d of bench.detectors) keys.add(d.detector);
  // Keep only detectors that produced a number somewhere, in configured order.
  return [...keys].filter((k) => results.benchmarks.some((b) => b.detectors.some((d) => d.detector === k)));
}

function thresholds(results: AuditResults): string {
  const { suspicious, contaminated } = results.config.thresholds;
  return [
    'Cells read `share [95% Wilson interval]`: the share of sampled items whose neighbour rank s is below ' +
      `${results.config.cut}. "control" is the same statistic with the reference model in the target's seat.`,
    '',
    `- ⚠️ suspicious above **${share(suspicious)}**, 🚩 contaminated above **${share(contaminated)}** (this audit's thresholds).`,
    `- Reference line: the SOLAR-10.7B card calls values "well below **${SOLAR_CARD_LINE}**" clean; the upstream README uses 0.85.`,
    '- A verdict compares the target with the thresholds; read it beside the control column, which shows how high a clean model scores on the same items.',
  ].join('\n');
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
