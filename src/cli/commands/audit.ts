/** contam audit: the release check. Exit 0 clean, 100 at the --fail-on level, 1 on errors, 130 interrupted. */
import { describeDryRun } from '../../audit/dry-run.js';
import { planAudit } from '../../audit/plan.js';
import { runAudit, type AuditOutput } from '../../audit/run.js';
import type { AuditConfig, AuditEvent, PlanConfig, Verdict } from '../../audit/types.js';
import { FatalError, InterruptedError } from '../../errors.js';
import { probeWritable } from '../../report/atomic.js';
import { reportFormat, writeReports } from '../../report/write.js';
import { dirname, resolve } from 'node:path';
import { summaryLines } from '../../report/summary.js';
import { dataOverlapSummaryLines } from '../../report/data-overlap.js';
import { createPlainLogger } from '../../ui/plain-logger.js';
import { intFlag, parse, stdio, type Output } from '../args.js';
import { AUDIT_FLAGS, flagsToPartial } from '../audit-flags.js';
import { findConfigFile, readConfigFile, resolveConfig, resolvePlanConfig } from '../config.js';
import type { BenchmarkSpec } from '../../audit/types.js';
import { loadOverlap, withDataOverlap, type LoadedOverlap } from '../../audit/data-overlap.js';

export const help = `Usage: contam audit [options]

Scores benchmark samples under the target and the reference model, ranks each original among
neighbours the reference writes, and reports per benchmark and detector the share of samples
ranked as members (with a 95% interval, the exchangeable null, and the control: the reference
in the target's seat). Settings come from contam.config.yaml in this folder (or -c FILE);
flags override it.

Models and data
  --target <dir|hub-id|url>    model being audited: ONNX export folder, cached HF id, or a vLLM
                               server's URL (http://host:8000/v1)
  --reference <dir|hub-id|url> reference model believed clean; it writes the neighbours
  --target-model <name>        served model to use when the target's server serves several
  --reference-model <name>     the same for the reference
  --name <name>                the target's name in reports (default: folder name, hub id or
                               served model id; never a local path)
  --reference-name <name>      the same for the reference
  --dtype <fp32|fp16|q8|...>   ONNX file variant (transformers.js layout)
  -b, --benchmarks <list>      name=path[,name=path]; name is a task (arc, mmlu, truthfulqa,
                               gsm8k, hellaswag, winogrande) or name:custom=path; bare names
                               pick benchmarks defined in the config file
  -n, --samples <N>            samples per benchmark (default 100)
  --seed <S>                   seed for samples, neighbours and bootstraps (default 0)
  --sampling <seeded|python-compat>   python-compat picks samples as the upstream tool does
  --strict                     stop at the first bad data row instead of skipping it
Method
  -d, --detectors <list>       first is primary; default loss,zlib,lowercase,min-k,min-k-plus-plus;
                               also reference (biased: the reference wrote the neighbours)
  --neighbours <M>             neighbours per sample (default 100)
  --mode <fixed|compat>        compat reproduces the upstream tool, quirks and sample choice included
  --prefix-ratio <r>           share of words kept as the neighbour prefix (default 0.4)
  --cut <c>                    a sample counts when its rank s < c (default 0.1)
  --no-early-stop              draw every neighbour even when the flag is already decided
  --margins <s,c>              fixed mode's verdict: target minus control must clear these
                               (default 0.05,0.1; see README "How a verdict is decided")
  --thresholds <s,c>           the upstream reading of the share, compat mode's verdict
                               (default 0.5,0.85)
  --batch-size <N>             sequences per forward pass of a local model (default 16)
  --threads <N>                onnxruntime threads per local model (default: every core)
  --side-by-side               run two local models at the same time, each in a worker thread on every
                               core (default: one after the other; same numbers either way)
  --max-tokens <N>             longest text scored, in tokens (default 8192)
Served models (API key from CONTAM_API_KEY or OPENAI_API_KEY; never printed or stored)
  --concurrency <N>            requests in flight per server (default 8)
  --request-timeout <s>        seconds of silence before a request is retried (default 300)
  --retries <N>                retries on 429, 5xx, resets and malformed answers (default 8)
Output
  --overlap <overlap.json>     show a contam overlap scan of the training data beside each
                               benchmark (data-side share found, matched by benchmark name)
  -o, --output <file>          report file, format from extension (.json, .jsonl, .md); repeatable
  --out-dir <dir>              folder for the full report set (default reports/<time>-<target>/)
  --json                       print only the results JSON on stdout
  --fail-on <contaminated|suspicious|never>   exit 100 when the primary detector (the first
                               in --detectors) reaches this verdict on a benchmark
  --no-cache, --cache-dir <dir>   per-sample cache (default $CONTAM_CACHE_DIR, $XDG_CACHE_HOME/contam)
  --dry-run                    load data and show the plan (samples, neighbours, model calls)
                               without models; --target and --reference may be left out
  -c, --config <file>          configuration file (default ./contam.config.yaml)

Examples:
  contam audit --target ./my-model --reference ./base-model -b gsm8k=./gsm8k/test.jsonl,arc=./arc
  contam audit --mode compat -b truthfulqa=./TruthfulQA.csv -o report.md    # upstream sample choice too
  contam audit --target http://gpu:8000/v1 --reference http://gpu:8001/v1 -b gsm8k=./gsm8k/test.jsonl
  contam audit --dry-run --json -b mmlu=./mmlu/data`;

const LEVEL: Record<Verdict, number> = { unknown: 0, clean: 0, suspicious: 1, contaminated: 2 };

export function exitCodeFor(output: AuditOutput): number {
  if (output.results.partial) return 130;
  const failOn = output.results.config.failOn;
  if (failOn === 'never') return 0;
  // Each benchmark's one verdict (its primary detector's, decided in stats/verdict.ts) decides.
  const worst = Math.max(0, ...output.results.benchmarks.map((b) => LEVEL[b.verdict.verdict]));
  return worst >= LEVEL[failOn] ? 100 : 0;
}

export function loadAuditConfig(values: Record<string, unknown>): AuditConfig;
export function loadAuditConfig(values: Record<string, unknown>, dryRun: boolean): PlanConfig;
/** A dry run plans without models, so only it may leave out the target and the reference. */
export function loadAuditConfig(values: Record<string, unknown>, dryRun = false): PlanConfig {
  const file = findConfigFile(values.config as string | undefined);
  const fromFile = file ? readConfigFile(file) : {};
  const flags = flagsToPartial(values, fromFile.benchmarks as BenchmarkSpec[] | undefined);
  const config = (dryRun ? resolvePlanConfig : resolveConfig)(fromFile, flags, values['cache-dir'] as string | undefined);
  for (const out of config.outputs) reportFormat(out);
  return config;
}

const interactive = (json: boolean) => !json && process.stdout.isTTY && process.stdin.isTTY && !process.env.CI;

export async function runAuditCommand(config: AuditConfig, opts: { json: boolean; maxTokens?: number; io?: Output; overlap?: LoadedOverlap }): Promise<number> {
  const io = opts.io ?? stdio;
  // Fail in a second, not after the audit, when reports cannot be written where asked.
  const targets = config.outputs.length ? config.outputs.map((o) => dirname(resolve(o))) : [resolve(config.outDir ?? 'reports')];
  for (const dir of new Set(targets)) probeWritable(dir);
  const controller = new AbortController();
  let presses = 0;
  const cancel = () => {
    presses += 1;
    if (presses > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', cancel);
  let onEvent: (e: AuditEvent) => void;
  let ui: { waitUntilExit(): Promise<void>; unmount(): void } | undefined;
  let closeQueue = () => {};
  if (interactive(opts.json)) {
    // Ink and React load only here: the plain and JSON paths never pay for them.
    const { renderInteractive, createEventQueue } = await import('../../ui/render.js');
    const queue = createEventQueue();
    ui = renderInteractive(queue, { onCancel: cancel });
    onEvent = (e) => queue.push(e);
    closeQueue = () => queue.close();
  } else {
    onEvent = createPlainLogger((line) => io.err(line));
  }
  let output: AuditOutput;
  try {
    output = await runAudit(config, { signal: controller.signal, onEvent, command: commandLine(), maxTokens: opts.maxTokens });
  } catch (error) {
    closeQueue();
    ui?.unmount();
    throw error;
  } finally {
    process.off('SIGINT', cancel);
  }
  if (opts.overlap) output = { ...output, results: { ...output.results, benchmarks: withDataOverlap(output.results.benchmarks, opts.overlap) } };
  const written = writeReports(output.results, output.samples, { dir: config.outDir, outputs: config.outputs });
  closeQueue();
  // A finished run stays on screen for the drill-down until q; a cancelled one closes at once.
  if (ui && output.results.partial) ui.unmount();
  if (ui) await ui.waitUntilExit();
  if (opts.json) io.out(JSON.stringify(output.results, null, 2));
  else {
    if (!ui) for (const line of summaryLines(output.results)) io.out(line);
    // The Ink screen shows the model side; the data side (--overlap) follows it as plain lines.
    else for (const line of dataOverlapSummaryLines(output.results)) io.out(line);
    io.err(`reports: ${written.join(', ')}`);
  }
  if (output.results.partial) {
    const where = written.find((p) => p.endsWith('results.json')) ?? written.join(', ');
    throw new InterruptedError(`interrupted: partial results written to ${where}`);
  }
  // Every sample failed (e.g. NaN logits): a verdict of "unknown" must not pass a release check with exit 0.
  const unscored = output.results.benchmarks.find((b) => b.samplesPlanned > 0 && b.samplesScored === 0);
  if (unscored) {
    throw new FatalError(`${unscored.name}: no sample could be scored (${unscored.errors} errors; first: ${unscored.errorMessages[0]}); reports written to ${written.at(-1)}`);
  }
  return exitCodeFor(output);
}

function commandLine(): string {
  return ['contam', ...process.argv.slice(2)].map((a) => (/^[\w./:=,@+-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values } = parse('audit', argv, AUDIT_FLAGS, false);
  if (values.help) return io.out(help);
  const maxTokens = intFlag(values['max-tokens'], '--max-tokens', 2);
  if (values['dry-run']) {
    const config = loadAuditConfig(values, true);
    if (values.overlap !== undefined) loadOverlap(values.overlap, config.benchmarks);
    const described = describeDryRun(config, await planAudit(config));
    if (values.json) io.out(JSON.stringify(described.json, null, 2));
    else for (const line of described.lines) io.out(line);
    return;
  }
  const config = loadAuditConfig(values);
  if (config.benchmarks.length === 0) throw new FatalError('no benchmarks to audit');
  // Checked before the audit starts: a wrong overlap file must not cost an audit's hours.
  const overlap = values.overlap !== undefined ? loadOverlap(values.overlap, config.benchmarks) : undefined;
  process.exitCode = await runAuditCommand(config, { json: !!values.json, maxTokens, io, overlap });
}
