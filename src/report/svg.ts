/**
 * A self-contained SVG histogram of the per-sample neighbour rank s, target beside control, for one
 * benchmark and detector. The mass left of the cut is the contamination number; seeing both
 * distributions shows whether the target's excess is real or the benchmark's drifting null (§1.4).
 * No fonts, scripts or external references, so it renders the same on GitHub and offline.
 */
import type { BenchmarkResult, SampleRecord } from '../audit/types.js';
import { escapeXml, truncate } from './escape.js';
import { withInterval, share } from './format.js';

export interface RankChartOptions {
  /** Where a sample counts as flagged (s < cut); the audit's default is 0.1. */
  readonly cut?: number;
  readonly bins?: number;
  /** Legend labels, e.g. the model ids. */
  readonly targetLabel?: string;
  readonly controlLabel?: string;
}

const W = 640;
const H = 360;
const M = { left: 56, right: 16, top: 72, bottom: 64 };
const TARGET = '#d1495b';
const CONTROL = '#4f7cac';

/** Counts per bin over [0, 1]; s = 1 falls in the last bin. Non-finite ranks (failed samples) are left out. */
export function histogram(values: readonly number[], bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const i = Math.min(bins - 1, Math.max(0, Math.floor(v * bins)));
    counts[i] += 1;
  }
  return counts;
}

export function renderRankChart(
  benchmark: BenchmarkResult,
  samples: readonly SampleRecord[],
  detectorKey: string,
  options: RankChartOptions = {},
): string {
  const cut = options.cut ?? 0.1;
  const bins = options.bins ?? 10;
  const mine = samples.filter((s) => s.benchmark === benchmark.name);
  const target = histogram(mine.map((s) => s.ranks[detectorKey] ?? NaN), bins);
  const control = histogram(mine.map((s) => s.controlRanks[detectorKey] ?? NaN), bins);
  const n = target.reduce((a, b) => a + b, 0);
  const peak = Math.max(1, ...target, ...control);
  const yStep = niceStep(peak / 4);
  const yMax = yStep * Math.ceil(peak / yStep);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (v: number): number => M.left + v * plotW;
  const y = (count: number): number => M.top + plotH - (count / yMax) * plotH;
  const f = (v: number): string => v.toFixed(1);

  const result = benchmark.detectors.find((d) => d.detector === detectorKey);
  const subtitle = result
    ? `target ${withInterval(result.contamination, result.interval)} · control ${share(result.control.contamination)} · s < ${cut} · n = ${n}`
    : `s < ${cut} · n = ${n}`;
  const title = `${benchmark.name}: neighbour rank s (${detectorKey})`;
  // Early stopping leaves a lower bound, not the rank, for samples decided before the last neighbour.
  const early = mine.filter((s) => s.ranksExact === false).length;
  const caveat = early > 0 ? `${early} of ${mine.length} samples stopped early once their flag was decided: their bar shows a lower bound of s` : '';

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${M.left}" y="20" font-size="14" font-weight="bold">${escapeXml(truncate(title, 60))}</text>`,
    `<text x="${M.left}" y="38" fill="#555555">${escapeXml(subtitle)}</text>`,
  ];
  if (caveat) out.push(`<text x="${M.left}" y="${H - 8}" fill="#555555" font-size="11">${escapeXml(caveat)}</text>`);
  // Grouped bars: target on the left half of each bin, control on the right.
  const binW = plotW / bins;
  const barW = binW * 0.4;
  for (let i = 0; i < bins; i++) {
    const left = x(i / bins) + binW * 0.1;
    out.push(bar(left, y(target[i]), barW, y(0) - y(target[i]), TARGET, `target ${binLabel(i, bins)}: ${target[i]}`));
    out.push(bar(left + barW, y(control[i]), barW, y(0) - y(control[i]), CONTROL, `control ${binLabel(i, bins)}: ${control[i]}`));
  }
  // Axes and ticks.
  out.push(`<line x1="${M.left}" y1="${f(y(0))}" x2="${W - M.right}" y2="${f(y(0))}" stroke="#333333"/>`);
  out.push(`<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${f(y(0))}" stroke="#333333"/>`);
  for (let i = 0; i <= bins; i++) {
    const v = i / bins;
    out.push(`<text x="${f(x(v))}" y="${f(y(0) + 16)}" text-anchor="middle">${Number(v.toFixed(2))}</text>`);
  }
  for (let c = 0; c <= yMax; c += yStep) {
    out.push(`<text x="${M.left - 6}" y="${f(y(c) + 4)}" text-anchor="end">${c}</text>`);
  }
  out.push(`<text x="${f(M.left + plotW / 2)}" y="${H - 24}" text-anchor="middle">neighbour rank s (share of neighbours more member-like than the original)</text>`);
  out.push(`<text transform="translate(16 ${f(M.top + plotH / 2)}) rotate(-90)" text-anchor="middle">samples</text>`);
  // The cut: everything left of it is what the contamination number counts.
  out.push(`<line x1="${f(x(cut))}" y1="${M.top}" x2="${f(x(cut))}" y2="${f(y(0))}" stroke="#000000" stroke-dasharray="4 3"/>`);
  // A white halo keeps the label readable where it crosses a bar.
  out.push(`<text x="${f(x(cut) + 4)}" y="${M.top + 12}" stroke="#ffffff" stroke-width="3" paint-order="stroke">cut s &lt; ${cut}</text>`);
  // Legend on its own row between the subtitle and the plot, so no bar can hide it.
  const legendY = M.top - 20;
  const half = (W - M.left - M.right) / 2;
  out.push(`<rect x="${M.left}" y="${legendY}" width="10" height="10" fill="${TARGET}"/>`);
  out.push(`<text x="${M.left + 14}" y="${legendY + 9}">${escapeXml(truncate(options.targetLabel ?? 'target', 40))}</text>`);
  out.push(`<rect x="${f(M.left + half)}" y="${legendY}" width="10" height="10" fill="${CONTROL}"/>`);
  out.push(`<text x="${f(M.left + half + 14)}" y="${legendY + 9}">${escapeXml(truncate(options.controlLabel ?? 'control (reference in target\'s seat)', 40))}</text>`);
  if (n === 0) {
    out.push(`<text x="${f(M.left + plotW / 2)}" y="${f(M.top + plotH / 2)}" text-anchor="middle" fill="#555555">no scored samples</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function bar(x: number, y: number, w: number, h: number, fill: string, label: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${fill}"><title>${escapeXml(label)}</title></rect>`;
}

function binLabel(i: number, bins: number): string {
  return `s in [${Number((i / bins).toFixed(3))}, ${Number(((i + 1) / bins).toFixed(3))}${i === bins - 1 ? ']' : ')'}`;
}

/** A whole, round tick step (1, 2, 5 × 10^k) at least `raw`: counts are integers, so labels should be too. */
function niceStep(raw: number): number {
  if (raw <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}
