/** Builds the index from benchmark queries and turns a scan into overlap.json, as pure data. */
import { wilson } from '../stats/wilson.js';
import { version } from '../version.js';
import { NgramIndex } from './ngram-index.js';
import { words } from './normalise.js';
import type { BenchmarkQueries } from './queries.js';
import type { ItemMatches } from './item-matches.js';
import type { ScanResult } from './scan.js';
import type { ProbeScan } from './probe-scan.js';
import { probeSummary } from './probe-results.js';
import {
  OVERLAP_SCHEMA_VERSION,
  type BenchmarkOverlap,
  type CorpusSummary,
  type ItemMatch,
  type OverlapConvention,
  type OverlapResults,
  type OverlapRun,
} from './types.js';

export function buildIndex(benchmarks: readonly BenchmarkQueries[], n: number): NgramIndex {
  const index = new NgramIndex(n);
  for (const b of benchmarks) {
    for (const row of b.rows) index.add({ benchmark: b.benchmark, id: `${b.benchmark}/${b.split}/${row.rowIndex}`, rowIndex: row.rowIndex, text: row.text }, words(row.text));
  }
  return index;
}

export function convention(n: number, minNgrams: number): OverlapConvention {
  return {
    name: 'lm-evaluation-harness decontamination (lm_eval/decontamination/janitor.py)',
    ngram: n,
    minNgrams,
    normalisation: 'ASCII letters lowercased, Python string.punctuation deleted, split on whitespace; n-grams never span two corpus records',
    rule:
      minNgrams === 1
        ? `an item is found when any one of its ${n}-grams occurs in the corpus (lm-eval's rule, after GPT-3 appendix C); items under ${n} words have no ${n}-gram and cannot be found`
        : `an item is found when at least ${minNgrams} of its distinct ${n}-grams occur in the corpus (lm-eval counts 1); items under ${n} words cannot be found`,
  };
}

export function itemMatch(index: NgramIndex, item: number, m: ItemMatches, minNgrams: number): ItemMatch {
  const it = index.items[item];
  const ks = [...m.matched].sort((a, b) => a - b);
  return {
    id: it.id,
    rowIndex: it.rowIndex,
    words: it.wordCount,
    ngrams: it.ngrams.length,
    matchedNgrams: ks.map((k) => ({ index: k, text: it.ngrams[k] })),
    share: ks.length / it.ngrams.length,
    found: ks.length >= minNgrams,
    windows: m.windows,
    spanCount: m.spanCount,
    spans: m.spans,
  };
}

/** Per-benchmark counts from the per-item matches; used by the scan and by merge alike. */
export function summariseBenchmark(
  b: Omit<BenchmarkOverlap, 'found' | 'partial' | 'share' | 'matches'>,
  matches: readonly ItemMatch[],
): BenchmarkOverlap {
  const found = matches.filter((m) => m.found).length;
  return { ...b, found, partial: matches.length - found, share: wilson(found, b.checkable), matches };
}

export interface ResultsInput {
  readonly benchmarks: readonly BenchmarkQueries[];
  readonly index: NgramIndex;
  readonly scan: ScanResult;
  readonly minNgrams: number;
  readonly corpus: Omit<CorpusSummary, 'records' | 'bytes' | 'recordsWithMatches' | 'badRecords' | 'taskFilter'>;
  readonly taskFilter?: { source: string; taskField: string };
  readonly run: OverlapRun;
  readonly probes?: ProbeScan;
}

export function buildResults(input: ResultsInput): OverlapResults {
  const { index, scan, minNgrams } = input;
  const byBenchmark = new Map<string, ItemMatch[]>();
  for (const item of [...scan.matches.keys()].sort((a, b) => a - b)) {
    const m = itemMatch(index, item, scan.matches.get(item) as ItemMatches, minNgrams);
    const name = index.items[item].benchmark;
    byBenchmark.set(name, [...(byBenchmark.get(name) ?? []), m]);
  }
  const benchmarks = input.benchmarks.map((b) => {
    const items = index.items.filter((it) => it.benchmark === b.benchmark);
    const summary = summariseBenchmark(
      {
        benchmark: b.benchmark,
        task: b.task,
        split: b.split,
        files: b.files,
        checked: b.fields,
        rowsRead: b.rowsRead,
        skippedRows: { count: b.skipped.length, rows: b.skipped },
        items: items.length,
        checkable: items.filter((it) => it.ngrams.length > 0).length,
      },
      byBenchmark.get(b.benchmark) ?? [],
    );
    return input.probes ? { ...summary, probes: probeSummary(b.benchmark, index, input.probes, summary.matches) } : summary;
  });
  const corpus: CorpusSummary = {
    ...input.corpus,
    records: scan.records,
    bytes: scan.bytes,
    recordsWithMatches: scan.recordsWithMatches,
    badRecords: { count: scan.badCount, first: scan.badFirst },
    ...(input.taskFilter ? { taskFilter: { ...input.taskFilter, recordsDropped: scan.recordsDropped, dropped: scan.dropped } } : {}),
  };
  const conv = convention(index.n, minNgrams);
  return { schemaVersion: OVERLAP_SCHEMA_VERSION, contamVersion: version, convention: input.probes ? { ...conv, probes: input.probes.convention() } : conv, corpus, benchmarks, run: input.run };
}
