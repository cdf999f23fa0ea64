/**
 * `contam overlap merge`: shard outputs (`--shard i/N`) combined into the overlap.json the whole run
 * would have written. Counts add up, matched n-grams are united, and the kept spans and bad-record
 * examples are re-sorted into corpus order and cut to the same limits, so only `run` differs.
 */
import { FatalError } from '../errors.js';
import { summariseBenchmark } from './results.js';
import { mergeProbes } from './probe-results.js';
import { MAX_BAD_EXAMPLES, MAX_LOCATIONS, type BenchmarkOverlap, type ItemMatch, type OverlapResults } from './types.js';

/** The parts every shard must share, as one comparable string. */
function identity(r: OverlapResults): string {
  return JSON.stringify({
    schemaVersion: r.schemaVersion,
    convention: r.convention,
    files: r.corpus.files,
    skippedFiles: r.corpus.skippedFiles,
    textField: r.corpus.textField,
    taskFilter: r.corpus.taskFilter ? [r.corpus.taskFilter.source, r.corpus.taskFilter.taskField] : null,
    benchmarks: r.benchmarks.map((b) => [b.benchmark, b.task, b.split, b.files, b.checked, b.items, b.checkable, b.rowsRead]),
  });
}

function mergeItem(parts: readonly ItemMatch[], fileOrder: Map<string, number>, minNgrams: number): ItemMatch {
  const matched = new Map<number, string>();
  for (const p of parts) for (const m of p.matchedNgrams) matched.set(m.index, m.text);
  const spans = parts
    .flatMap((p) => p.spans)
    .sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.record - b.record || a.offset - b.offset)
    .slice(0, MAX_LOCATIONS);
  const first = parts[0];
  const matchedNgrams = [...matched].sort((a, b) => a[0] - b[0]).map(([index, text]) => ({ index, text }));
  return {
    id: first.id,
    rowIndex: first.rowIndex,
    words: first.words,
    ngrams: first.ngrams,
    matchedNgrams,
    share: matchedNgrams.length / first.ngrams,
    found: matchedNgrams.length >= minNgrams,
    windows: parts.reduce((s, p) => s + p.windows, 0),
    spanCount: parts.reduce((s, p) => s + p.spanCount, 0),
    spans,
  };
}

/** `names` label each input in messages (its path). */
export function mergeResults(inputs: readonly OverlapResults[], names: readonly string[]): OverlapResults {
  if (inputs.length === 0) throw new FatalError('contam overlap merge: expected at least one shard output folder');
  const first = inputs[0];
  const id = identity(first);
  inputs.forEach((r, i) => {
    if (identity(r) !== id) throw new FatalError(`${names[i]}: this shard ran with another corpus, benchmark, n-gram or field setting than ${names[0]}; merge only shards of one run`);
  });
  const shards = inputs.map((r, i) => {
    const m = /^(\d+)\/(\d+)$/.exec(r.run.shard ?? '');
    if (!m) throw new FatalError(`${names[i]}: not a shard output (run.shard is ${JSON.stringify(r.run.shard ?? null)}); expected one written with --shard i/N`);
    return { index: Number(m[1]), count: Number(m[2]) };
  });
  const count = shards[0].count;
  const seen = new Set<number>();
  shards.forEach((s, i) => {
    if (s.count !== count) throw new FatalError(`${names[i]}: shard ${s.index}/${s.count}, but ${names[0]} is one of ${count}; merge shards of one split`);
    if (seen.has(s.index)) throw new FatalError(`${names[i]}: shard ${s.index}/${count} is given twice`);
    seen.add(s.index);
  });
  const missing = [...Array(count).keys()].filter((i) => !seen.has(i));
  if (missing.length > 0) throw new FatalError(`contam overlap merge: shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing; expected all ${count} shard outputs`);

  const fileOrder = new Map(first.corpus.files.map((f, i) => [f.path, i]));
  const minNgrams = first.convention.minNgrams;
  const sum = (pick: (r: OverlapResults) => number) => inputs.reduce((s, r) => s + pick(r), 0);
  const badFirst = inputs
    .flatMap((r) => r.corpus.badRecords.first)
    .sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line)
    .slice(0, MAX_BAD_EXAMPLES);
  const filter = first.corpus.taskFilter;
  const corpus = {
    ...first.corpus,
    records: sum((r) => r.corpus.records),
    bytes: sum((r) => r.corpus.bytes),
    recordsWithMatches: sum((r) => r.corpus.recordsWithMatches),
    badRecords: { count: sum((r) => r.corpus.badRecords.count), first: badFirst },
    ...(filter
      ? {
          taskFilter: {
            ...filter,
            recordsDropped: sum((r) => r.corpus.taskFilter?.recordsDropped ?? 0),
            dropped: Object.fromEntries(Object.keys(filter.dropped).map((name) => [name, sum((r) => r.corpus.taskFilter?.dropped[name] ?? 0)])),
          },
        }
      : {}),
  };
  const benchmarks: BenchmarkOverlap[] = first.benchmarks.map((b, bi) => {
    const byId = new Map<string, ItemMatch[]>();
    for (const r of inputs) for (const m of r.benchmarks[bi].matches) byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
    const matches = [...byId.values()].map((parts) => mergeItem(parts, fileOrder, minNgrams)).sort((x, y) => x.rowIndex - y.rowIndex);
    const { found: _f, partial: _p, share: _s, matches: _m, probes, ...rest } = b;
    const merged = summariseBenchmark(rest, matches);
    if (!probes) return merged;
    const parts = inputs.map((r) => r.benchmarks[bi].probes).filter((p) => p !== undefined);
    return { ...merged, probes: mergeProbes(parts, fileOrder, matches) };
  });
  const seconds = Math.max(...inputs.map((r) => r.run.seconds));
  return {
    ...first,
    corpus,
    benchmarks,
    run: {
      startedAt: inputs.map((r) => r.run.startedAt).sort()[0],
      seconds,
      mbPerSecond: seconds > 0 ? corpus.bytes / 1e6 / seconds : 0,
      mergedFrom: inputs.length,
    },
  };
}
