/**
 * Writes an audit's reports. Default: a fresh folder `reports/<timestamp>-<target>/` with
 * results.json, samples.jsonl, report.md and charts/*.svg. With explicit outputs (`-o` paths) only
 * those files, the format taken from each extension. Every file is written atomically (atomic.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { AuditResults, SampleRecord } from '../audit/types.js';
import { FatalError } from '../errors.js';
import { nodeIo, writeFileAtomic, type ReportIo } from './atomic.js';
import { safeFileName } from './escape.js';
import { chartFiles } from './format.js';
import { resultsJson } from './json.js';
import { samplesJsonl } from './jsonl.js';
import { renderMarkdown } from './markdown.js';
import { loadPublishedReferences, type PublishedReferences } from './references.js';
import { renderRankChart } from './svg.js';

export type ReportFormat = 'json' | 'jsonl' | 'md';

const FORMATS: Readonly<Record<string, ReportFormat>> = { '.json': 'json', '.jsonl': 'jsonl', '.md': 'md' };

/** The format of an `-o` path; exported so the CLI can reject a bad path before a long audit starts. */
export function reportFormat(path: string): ReportFormat {
  const ext = extname(path).toLowerCase();
  const format = FORMATS[ext];
  if (!format) {
    const found = ext === '' ? 'no extension' : `extension "${ext}"`;
    throw new FatalError(`cannot tell the report format of ${path}: ${found}; valid extensions are ${Object.keys(FORMATS).join(', ')}`);
  }
  return format;
}

export interface WriteReportsOptions {
  /** Report folder; default `reports/<timestamp>-<target>/` under the current directory. Ignored when outputs are given. */
  readonly dir?: string;
  /** Explicit report files (`-o`); when non-empty, only these are written. */
  readonly outputs?: readonly string[];
  /** Other models' published numbers for report.md; default references/published.json. */
  readonly references?: PublishedReferences;
  /** File-system calls; tests inject failing ones. */
  readonly io?: ReportIo;
}

/** `reports/20250131-091502-SOLAR-10.7B-Instruct-v1.0`: the start time in UTC, so reruns sort by time. */
export function defaultReportDir(results: AuditResults, root = 'reports'): string {
  const started = new Date(results.startedAt);
  const when = Number.isNaN(started.getTime()) ? new Date() : started;
  const stamp = when.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '-');
  const name = results.models.target.id.split(/[\\/]/).filter(Boolean).pop() ?? 'model';
  return join(root, `${stamp}-${safeFileName(name)}`);
}

/** Returns the written paths, in the order written. */
export function writeReports(results: AuditResults, samples: readonly SampleRecord[], options: WriteReportsOptions = {}): string[] {
  const io = options.io ?? nodeIo;
  const outputs = options.outputs ?? [];
  // Validate every extension before writing anything, so a typo cannot leave half a report set.
  const planned = outputs.map((path) => ({ path, format: reportFormat(path) }));
  const references = options.references ?? tryLoadReferences();
  const written: string[] = [];
  const write = (path: string, content: string | Iterable<string>): void => {
    writeFileAtomic(path, content, io);
    written.push(path);
  };

  if (planned.length > 0) {
    for (const { path, format } of planned) {
      if (format === 'json') write(path, resultsJson(results));
      else if (format === 'jsonl') write(path, samplesJsonl(samples));
      else write(path, renderMarkdown(results, { references, charts: chartsBeside(path, results) }));
    }
    return written;
  }

  const dir = options.dir ?? defaultReportDir(results);
  const charts = chartFiles(results.benchmarks);
  const labels = { targetLabel: `target: ${results.models.target.id}`, controlLabel: `control: ${results.models.reference.id}` };
  for (const chart of charts) {
    const bench = results.benchmarks.find((b) => b.name === chart.benchmark)!;
    write(join(dir, chart.file), renderRankChart(bench, samples, chart.detector, { cut: results.config.cut, ...labels }));
  }
  write(join(dir, 'samples.jsonl'), samplesJsonl(samples));
  write(join(dir, 'results.json'), resultsJson(results));
  // report.md last: it links to the others, so it appears only once they exist.
  write(join(dir, 'report.md'), renderMarkdown(results, { references, charts }));
  return written;
}

/**
 * Chart links for an `-o` Markdown file only when the audit's charts sit beside it, so
 * `contam report <dir>/results.json -o <dir>/report.md` rebuilds the audit's report.md exactly.
 */
function chartsBeside(path: string, results: AuditResults) {
  const charts = chartFiles(results.benchmarks);
  return charts.length > 0 && charts.every((c) => existsSync(join(dirname(path), c.file))) ? charts : undefined;
}

/**
 * The references file ships with the package; if it is missing or damaged the audit's own report
 * still matters more, so report.md is written without that section rather than not at all.
 */
export function tryLoadReferences(): PublishedReferences | undefined {
  try {
    return loadPublishedReferences();
  } catch {
    return undefined;
  }
}
