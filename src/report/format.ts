/**
 * Number and verdict formatting shared by report.md, the SVG chart and the plain end-of-run summary,
 * so the three never disagree on how 0.92 [0.85, 0.96] is written.
 */
import type { BenchmarkResult, Interval, Verdict } from '../audit/types.js';
import type { Traffic } from '../models/backend.js';
import { isAbsolute, relative } from 'node:path';
import { safeFileName } from './escape.js';
import { formatDuration, pValue, signed } from '../util/text.js';

export { pValue, signed };

/** Contamination shares are fractions like the published "result < 0.1, %" (0.70, not 70%). */
export function share(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

export function withInterval(value: number, interval: Interval): string {
  return `${share(value)} [${share(interval.low)}, ${share(interval.high)}]`;
}


/**
 * A local path as report.md shows it: relative to the working folder when inside it, else its last
 * two parts after "…/". report.md goes into release notes; the auditing machine's folders do not.
 * Hub ids, URLs and relative paths are shown as written.
 */
export function displayPath(path: string, cwd = process.cwd()): string {
  if (!isAbsolute(path)) return path;
  const rel = relative(cwd, path);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel;
  const parts = path.split(/[\\/]+/).filter(Boolean);
  return `…/${parts.slice(-2).join('/')}`;
}

/** The command line with every absolute path (a whole argument, or after `=`, `,` or `:` in one) shortened as displayPath does. */
export function displayCommand(command: string, cwd = process.cwd()): string {
  return command.replace(/(^|[\s=,:])(\/(?!\/)[^\s,]*)/g, (_, lead: string, path: string) => lead + displayPath(path, cwd));
}

/** A model as reports name it; results.json from before names existed has only the id. */
export function modelName(m: { readonly id: string; readonly name?: string }): string {
  return m.name ?? m.id;
}


/** Durations are written one way everywhere (util/text.ts): "850ms", "42s", "3m05s", "1h02m". */
export const duration = formatDuration;

const MARKERS: Readonly<Record<Verdict, string>> = {
  clean: '✅ clean',
  suspicious: '⚠️ suspicious',
  contaminated: '🚩 contaminated',
  unknown: '❔ no samples scored',
};

export function verdictMarker(verdict: Verdict): string {
  return MARKERS[verdict];
}

/** Words only: the plain summary goes to logs and CI output, where emoji widths misalign columns. */
export function verdictWord(verdict: Verdict): string {
  return verdict === 'contaminated' ? 'CONTAMINATED' : verdict;
}

export interface ChartFile {
  readonly benchmark: string;
  readonly detector: string;
  /** Relative to the report folder, e.g. "charts/arc.svg". */
  readonly file: string;
}

/**
 * Chart files: `charts/<benchmark>.svg` for the first detector (the one release notes link to) and
 * `charts/<benchmark>.<detector>.svg` for the others. Names that sanitise alike ("a/b" and "a-b")
 * get a numeric suffix so no chart overwrites another.
 */
export function chartFiles(benchmarks: readonly Pick<BenchmarkResult, 'name' | 'detectors'>[]): ChartFile[] {
  const files: ChartFile[] = [];
  const used = new Set<string>();
  const claim = (base: string): string => {
    let candidate = base;
    for (let i = 2; used.has(candidate.toLowerCase()); i++) candidate = `${base}-${i}`;
    used.add(candidate.toLowerCase());
    return `charts/${candidate}.svg`;
  };
  for (const bench of benchmarks) {
    bench.detectors.forEach((d, i) => {
      const base = safeFileName(bench.name) + (i === 0 ? '' : `.${safeFileName(d.detector)}`);
      files.push({ benchmark: bench.name, detector: d.detector, file: claim(base) });
    });
  }
  return files;
}

/** An engine's traffic in one line: "412 requests, 3 retries (429 x2, reset x1), 51200 tokens scored, 8000 sampled". */
export function trafficLine(t: Traffic): string {
  const causes = Object.entries(t.retryCauses)
    .map(([cause, n]) => `${cause} x${n}`)
    .join(', ');
  return `${t.requests} requests, ${t.retries} retries${causes ? ` (${causes})` : ''}, ${t.scoredTokens} tokens scored, ${t.sampledTokens} sampled`;
}
