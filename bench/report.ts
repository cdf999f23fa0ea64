/**
 * bench/results.json and the Markdown table. `markdownReport` is pure (results in, text out).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { paperSection } from './paper-goal.js';
import { overlapSection } from './overlap-report.js';

export interface RunRecord {
  readonly round: number;
  readonly ms: number;
  readonly tokens: number;
  readonly tokPerSec: number;
  readonly gflops: number;
  /** GFLOP/s over the mean of the round's two ceiling probes. */
  readonly fraction: number;
  /** Share of wall time inside onnxruntime's session.run, when measured. */
  readonly inSession?: number;
  readonly extra?: Readonly<Record<string, number>>;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface ConfigResult {
  readonly name: string;
  readonly workload: 'scoring' | 'sampling';
  readonly runtime: 'contam' | 'transformers.js';
  readonly lever: string;
  readonly runs: readonly RunRecord[];
  readonly tokPerSec: Spread;
  readonly gflops: Spread;
  readonly fraction: Spread;
  readonly inSession?: number;
}

export interface RatioResult {
  readonly name: string;
  /** Median over rounds of the per-round ratio (both sides measured in the same round). */
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export type GoalStatus = 'met' | 'not met' | 'pending';

export interface GoalResult {
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  readonly status: GoalStatus;
}

export interface ModelResult {
  readonly name: string;
  readonly dims: { readonly layers: number; readonly width: number; readonly heads: number; readonly vocab: number; readonly context: number };
  readonly nonEmbeddingParams: number;
  readonly fileBytes: number;
  readonly tokenizer: string;
  readonly loadMs: { readonly contam: number; readonly transformersJs?: number };
  readonly ceiling: { readonly threads: number; readonly gflops: Spread; readonly oneThreadGflops?: Spread; readonly probes: readonly number[] };
  readonly configs: readonly ConfigResult[];
  readonly ratios: readonly RatioResult[];
}

export interface HookResult {
  readonly status: 'measured' | 'pending';
  readonly reason?: string;
  readonly [key: string]: unknown;
}

export interface BenchResults {
  readonly schemaVersion: 1;
  readonly startedAt: string;
  readonly durationMs: number;
  /** With --only: the parts this run measured (the rest were kept from the results file). */
  readonly measuredParts?: readonly string[];
  readonly quick: boolean;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGiB: number;
    readonly node: string;
    readonly platform: string;
    readonly onnxruntimeNode: string;
    readonly transformersJs: string;
  };
  readonly method: string;
  readonly texts: { readonly source: string; readonly count: number; readonly tokens: number };
  readonly sampling: { readonly prefixTokens: number; readonly n: number; readonly maxNewTokens: number; readonly topK: number; readonly temperature: number };
  readonly models: readonly ModelResult[];
  readonly earlyStopping: HookResult;
  readonly peakMemory: HookResult;
  readonly remote: HookResult;
  readonly paperWorkload: HookResult;
  /** Issue 18's overlap scan row (bench/overlap.ts); absent in results from before it. */
  readonly overlap?: HookResult;
  readonly goals: readonly GoalResult[];
  readonly notes: readonly string[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

function fmt(v: number, digits = 0): string {
  if (!Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function mb(bytes: number): string {
  return `${fmt(bytes / 1e6, 1)} MB`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** The Markdown report printed at the end of `npm run bench` (and kept for the README). */
export function markdownReport(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`# contam benchmark${r.quick ? ' (--quick)' : ''}`, '');
  lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${fmt(m.memoryGiB)} GiB; Node ${m.node} (${m.platform}); onnxruntime-node ${m.onnxruntimeNode}; @huggingface/transformers ${m.transformersJs}. ${r.startedAt}, ${fmt(r.durationMs / 1000)} s.`, '');
  if (r.measuredParts) lines.push(`This run measured only: ${r.measuredParts.join(', ')}; every other row is kept from earlier runs in the results file.`, '');
  lines.push(`Texts: ${r.texts.source} (${r.texts.count} texts, ${fmt(r.texts.tokens)} tokens). Sampling: ${r.sampling.n} continuations of a ${r.sampling.prefixTokens}-token prefix, ${r.sampling.maxNewTokens} new tokens, top_k ${r.sampling.topK}, temperature ${r.sampling.temperature}.`, '');
  lines.push(`Method: ${r.method}`, '');
  lines.push('## Goals', '', '| goal | target | measured | status |', '|---|---|---|---|');
  for (const g of r.goals) lines.push(`| ${cell(g.goal)} | ${cell(g.target)} | ${cell(g.measured)} | ${g.status} |`);
  lines.push('');
  for (const model of r.models) {
    const d = model.dims;
    lines.push(
      `## ${model.name}: ${d.layers} layers, ${d.width} wide, ${d.heads} heads, vocab ${fmt(d.vocab)} (${fmt(model.nonEmbeddingParams / 1e6, 2)} M non-embedding params, files ${mb(model.fileBytes)}, ${model.tokenizer} tokenizer)`,
      '',
    );
    const c = model.ceiling;
    lines.push(
      `ORT MatMul ceiling ([512,768]×[768,3072], ${c.threads} threads): **${fmt(c.gflops.median)} GFLOP/s** [${fmt(c.gflops.min)}–${fmt(c.gflops.max)}] over ${c.probes.length} probes` +
        (c.oneThreadGflops ? `; 1 thread: ${fmt(c.oneThreadGflops.median)} GFLOP/s [${fmt(c.oneThreadGflops.min)}–${fmt(c.oneThreadGflops.max)}]` : '') +
        `. Load: contam ${fmt(model.loadMs.contam)} ms` +
        (model.loadMs.transformersJs !== undefined ? `, transformers.js ${fmt(model.loadMs.transformersJs)} ms` : '') +
        '.',
      '',
    );
    lines.push('| workload | configuration | tok/s median [min–max] | GFLOP/s | fraction of ceiling | in session.run |', '|---|---|---:|---:|---:|---:|');
    for (const k of model.configs) {
      lines.push(
        `| ${k.workload} | ${cell(k.name)} | ${fmt(k.tokPerSec.median)} [${fmt(k.tokPerSec.min)}–${fmt(k.tokPerSec.max)}] | ${fmt(k.gflops.median)} | ${fmt(k.fraction.median, 2)} [${fmt(k.fraction.min, 2)}–${fmt(k.fraction.max, 2)}] | ${k.inSession !== undefined ? `${fmt(k.inSession * 100)}%` : '–'} |`,
      );
    }
    lines.push('');
    if (model.ratios.length) {
      lines.push('| ratio (per-round, same round) | median | min | max |', '|---|---:|---:|---:|');
      for (const q of model.ratios) lines.push(`| ${cell(q.name)} | **${fmt(q.median, 2)}×** | ${fmt(q.min, 2)} | ${fmt(q.max, 2)} |`);
      lines.push('');
    }
  }
  if (r.overlap) lines.push(...overlapSection(r.overlap));
  const hook = (title: string, h: HookResult) => `${title}: ${h.status}${h.reason ? ` (${h.reason})` : ''}`;
  lines.push('## Audit-level measurements', '', `- ${hook('Early stopping', r.earlyStopping)}`, `- ${hook('Peak memory', r.peakMemory)}`, `- ${hook('Engine backend', r.remote)}`, `- ${hook('Paper workload', r.paperWorkload ?? { status: 'pending' })}`, '');
  if (r.remote?.status === 'measured') lines.push('Engine backend (loopback server):', '', '```json', JSON.stringify(r.remote, null, 2), '```', '');
  if (r.paperWorkload?.status === 'measured') lines.push(...paperSection(r.paperWorkload));
  if (r.notes.length) {
    lines.push('## Notes', '');
    for (const n of r.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  return lines.join('\n');
}

export function writeResults(path: string, results: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
