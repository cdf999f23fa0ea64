/**
 * overlap.md: the data-side report in report.md's style. Every text from a corpus or a benchmark
 * goes through escapeCell, so a record cannot end a table cell or inject HTML.
 */
import { displayPath, share, withInterval } from '../report/format.js';
import { escapeCell, truncate } from '../report/escape.js';
import type { OverlapResults, ProbeSummary } from './types.js';

/** "3 / 5, 0.60 [0.23, 0.88] (1 only by probes, 0 only by n-grams)". */
function probeCell(p: ProbeSummary): string {
  return `${p.found} / ${p.items}, ${withInterval(p.share.estimate, p.share)} (${p.onlyProbes} only by probes, ${p.onlyNgrams} only by n-grams)`;
}

/** A Parquet file has rows, not lines: its record number is the 0-based row. */
function at(where: { readonly file: string; readonly line: number; readonly record: number }): string {
  return /\.parquet$/i.test(where.file) ? `row ${where.record}` : `line ${where.line}`;
}

/** Found items shown per benchmark; overlap.jsonl has every one. */
const SHOWN_ITEMS = 50;

export function renderOverlapMarkdown(r: OverlapResults): string {
  const n = r.convention.ngram;
  const lines: string[] = [];
  const files = r.corpus.files.length === 1 ? `**${escapeCell(displayPath(r.corpus.files[0].path))}**` : `${r.corpus.files.length} files`;
  lines.push('# Benchmark overlap in training data', '');
  lines.push(
    `Corpus ${files}: ${r.corpus.records} records, ${(r.corpus.bytes / 1e6).toFixed(1)} MB, text from **${escapeCell(r.corpus.textField)}**; ` +
      `${r.corpus.recordsWithMatches} records contain a benchmark ${n}-gram. Scanned with contam ${escapeCell(r.contamVersion)}.`,
    '',
  );
  lines.push('## Results', '');
  const probes = r.convention.probes;
  lines.push(`| Benchmark | Text checked | Items | Checkable (≥ N words) | Found | Share found [95% CI] | Partly matched |${probes ? ' Substring probes: found / items, share [95% CI] |' : ''}`);
  lines.push(`| --- | --- | --- | --- | --- | --- | --- |${probes ? ' --- |' : ''}`);
  for (const b of r.benchmarks) {
    const coverage = b.items > 0 ? ` (${share(b.checkable / b.items)})` : '';
    lines.push(
      `| ${escapeCell(b.benchmark)} | ${escapeCell(b.checked.join(' + '))} | ${b.items} | ${b.checkable}${coverage} | ${b.found} | ${withInterval(b.share.estimate, b.share)} | ${b.partial} |` +
        (b.probes ? ` ${probeCell(b.probes)} |` : ''),
    );
  }
  lines.push('');
  lines.push(
    `- Convention: ${escapeCell(r.convention.name)}, ${n}-grams. ${escapeCell(r.convention.normalisation)}.`,
    `- Rule: ${escapeCell(r.convention.rule)}.`,
    ...(probes ? [`- Substring probes: ${escapeCell(probes.rule)}; seed ${probes.seed}. ${escapeCell(probes.normalisation)}.`] : []),
    `- Share found is found / checkable. Items under ${n} words are a blind spot, not a clean result: the Checkable column says how much of each benchmark could be seen.`,
  );
  for (const b of r.benchmarks) {
    if (b.skippedRows.count > 0) lines.push(`- ${escapeCell(b.benchmark)}: ${b.skippedRows.count} benchmark rows skipped (first: ${escapeCell(`${b.skippedRows.rows[0].file} ${b.skippedRows.rows[0].location}: ${b.skippedRows.rows[0].reason}`)}).`);
  }
  lines.push('');
  const filter = r.corpus.taskFilter;
  if (filter) {
    lines.push('## Dropped tasks', '', `Records whose **${escapeCell(filter.taskField)}** names a task from **${escapeCell(filter.source)}**: ${filter.recordsDropped} dropped.`, '');
    lines.push('| Task | Records |', '| --- | --- |');
    for (const [name, count] of Object.entries(filter.dropped)) lines.push(`| ${escapeCell(name)} | ${count} |`);
    lines.push('');
  }
  for (const b of r.benchmarks) {
    const found = b.matches.filter((m) => m.found);
    if (found.length === 0) continue;
    lines.push(`## ${escapeCell(b.benchmark)}: found items`, '');
    const probed = b.probes ? new Map(b.probes.matches.map((p) => [p.id, p])) : undefined;
    const probeHead = probed ? ' Substring probes found |' : '';
    lines.push(`| Item | Share of its n-grams | Matched n-grams | Spans | First location | First matched n-gram |${probeHead}`, `| --- | --- | --- | --- | --- | --- |${probed ? ' --- |' : ''}`);
    for (const m of found.slice(0, SHOWN_ITEMS)) {
      const s = m.spans[0];
      const where = s ? `${displayPath(s.file)} ${at(s)}, offset ${s.offset}` : '';
      const probe = probed ? ` ${probed.get(m.id)?.probesFound.length ?? 0} of ${b.probes?.perItem} |` : '';
      lines.push(`| ${escapeCell(m.id)} | ${share(m.share)} | ${m.matchedNgrams.length} / ${m.ngrams} | ${m.spanCount} | ${escapeCell(where)} | ${escapeCell(truncate(m.matchedNgrams[0]?.text ?? '', 80))} |${probe}`);
    }
    if (found.length > SHOWN_ITEMS) lines.push('', `… and ${found.length - SHOWN_ITEMS} more found items in overlap.jsonl.`);
    lines.push('');
  }
  for (const b of r.benchmarks) {
    // Items only the probes found: usually under N words, where the n-gram rule is blind.
    const only = b.probes?.matches.filter((p) => !p.ngramFound) ?? [];
    if (only.length === 0) continue;
    lines.push(`## ${escapeCell(b.benchmark)}: found by substring probes only`, '', '| Item | Probes found | Records | First location |', '| --- | --- | --- | --- |');
    for (const p of only.slice(0, SHOWN_ITEMS)) lines.push(`| ${escapeCell(p.id)} | ${p.probesFound.length} of ${b.probes?.perItem} | ${p.records} | ${escapeCell(`${displayPath(p.first.file)} ${at(p.first)}`)} |`);
    if (only.length > SHOWN_ITEMS) lines.push('', `… and ${only.length - SHOWN_ITEMS} more in overlap.jsonl.`);
    lines.push('');
  }
  if (r.corpus.badRecords.count > 0) {
    lines.push('## Bad records', '', `${r.corpus.badRecords.count} corpus records could not be read and were not checked.`, '');
    lines.push('| File | Line | Problem |', '| --- | --- | --- |');
    for (const bad of r.corpus.badRecords.first) lines.push(`| ${escapeCell(displayPath(bad.file))} | ${bad.line} | ${escapeCell(truncate(bad.reason, 160))} |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * overlap.jsonl: one line per found item, with its benchmark and locations. With --probes, each line
 * also has `probe` (its probe match, or null), and items found by probes alone get a line of their
 * own with `found: false`.
 */
export function renderOverlapJsonl(r: OverlapResults): string {
  return r.benchmarks
    .flatMap((b) => {
      const probeOf = new Map((b.probes?.matches ?? []).map((p) => [p.id, p]));
      const found = b.matches.filter((m) => m.found);
      const lines = found.map((m) => ({ benchmark: b.benchmark, ...m, ...(b.probes ? { probe: probeOf.get(m.id) ?? null } : {}) }));
      const foundIds = new Set(found.map((m) => m.id));
      const probeOnly = (b.probes?.matches ?? []).filter((p) => !foundIds.has(p.id)).map((p) => ({ benchmark: b.benchmark, id: p.id, rowIndex: p.rowIndex, found: false, probe: p }));
      return [...lines, ...probeOnly].sort((x, y) => x.rowIndex - y.rowIndex).map((l) => JSON.stringify(l));
    })
    .map((l) => `${l}\n`)
    .join('');
}
