/**
 * The blind baseline beside the labelled AUROCs in report.md (stats/blind-baseline.ts): two rows per
 * benchmark under its detectors, a paragraph saying how to read them, and the warning when the texts
 * alone separate members from non-members.
 */
import type { BenchmarkResult, Interval } from '../audit/types.js';
import { DEFAULT_FOLDS } from '../stats/blind-baseline.js';
import { escapeCell } from './escape.js';
import { withInterval } from './format.js';

/** A benchmark's two rows; no model, so no TPR/FPR reads ("–" in those columns). */
export function blindBaselineRows(bench: BenchmarkResult, fprColumns: number): string[][] {
  const base = bench.blindBaseline;
  if (!base) return [];
  const row = (label: string, auroc: number, interval: Interval): string[] => [
    escapeCell(bench.name),
    label,
    withInterval(auroc, interval),
    ...Array<string>(fprColumns + 1).fill('–'),
    `${base.members} / ${base.nonMembers}`,
  ];
  return [
    row('blind baseline (bag of words, no model)', base.auroc, base.interval),
    row('length alone (word count, longer = member)', base.lengthAuroc, base.lengthInterval),
  ];
}

/** How to read the rows, then each benchmark's warning and any baseline too small to cross-validate. */
export function blindBaselineNotes(benchmarks: readonly BenchmarkResult[]): string {
  const lines = [
    'The *no model* rows use the item texts alone, as Das et al. 2024 (arXiv 2406.16201) did to reach AUROC 0.99 on WikiMIA: ' +
      'an L2 logistic regression on lowercased word unigrams and bigrams plus length, digit, casing and punctuation features, each item ' +
      `scored by a model fitted without it (stratified ${DEFAULT_FOLDS}-fold cross-validation, fewer folds for a small class), and the word ` +
      "count by itself (below 0.5: members are shorter). A detector's AUROC speaks for the model only where it clearly exceeds these; " +
      'where they are far from 0.5, members and non-members differ in distribution.',
  ];
  for (const b of benchmarks) {
    const base = b.blindBaseline;
    if (base?.warning) lines.push(`> ⚠️ **${escapeCell(b.name)}**: ${escapeCell(base.warning)}.`);
    else if (base?.folds === 0) lines.push(`- ${escapeCell(b.name)}: ${escapeCell(base.method)}.`);
  }
  return lines.join('\n\n');
}
