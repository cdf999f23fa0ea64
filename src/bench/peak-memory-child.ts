/**
 * Child process for the peak-memory measurement: runs an audit over a plan and stops it (the
 * engine's abort signal) after `--stop-after` samples, then prints its peak RSS as one JSON line.
 * Usage: node peak-memory-child.js <target> <reference> <mmlu-test-folder> <samples|all|longest:K> <stop-after>
 * `longest:K` plans the K MMLU test items with the most reference tokens (the worst case for memory:
 * the longest texts, whose neighbours are as long), written to a temporary JSONL file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../audit/run.js';
import type { BenchmarkSpec } from '../audit/types.js';
import { loadBenchmark } from '../benchmarks/load.js';
import { resolveModel } from '../models/resolve.js';
import { loadTokenizer } from '../models/tokenizer.js';
import { benchAuditConfig } from './audit-config.js';

/** The K longest MMLU test items (reference tokens) as a custom JSONL benchmark. */
async function longestItems(reference: string, mmlu: string, k: number, dir: string): Promise<{ spec: BenchmarkSpec; tokens: number[] }> {
  const files = resolveModel(reference);
  if (!files.tokenizerPath) throw new Error(`${reference}: no tokenizer.json`);
  const tokenizer = loadTokenizer(files.tokenizerPath, files.tokenizerConfigPath);
  const loaded = await loadBenchmark({ task: 'mmlu', path: mmlu });
  const longest = loaded.samples
    .map((s) => ({ s, n: tokenizer.encode(s.text).length }))
    .sort((a, b) => b.n - a.n)
    .slice(0, k);
  const path = join(dir, 'mmlu-longest.jsonl');
  writeFileSync(path, longest.map(({ s }) => JSON.stringify({ id: s.id, text: s.text })).join('\n') + '\n');
  return { spec: { name: 'mmlu-longest', task: 'custom', path }, tokens: longest.map((x) => x.n) };
}

async function child(): Promise<void> {
  const [target, reference, mmlu, samplesArg, stopArg] = process.argv.slice(2);
  const stopAfter = Number(stopArg);
  const controller = new AbortController();
  let done = 0;
  let planned = 0;
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'contam-peak-'));
  try {
    const longest = samplesArg.startsWith('longest:') ? await longestItems(reference, mmlu, Number(samplesArg.slice(8)), dir) : undefined;
    const out = await runAudit(
      benchAuditConfig({
        target,
        reference,
        benchmarks: [longest ? longest.spec : { name: 'mmlu', task: 'mmlu', path: mmlu }],
        samples: samplesArg === 'all' || longest ? 1_000_000 : Number(samplesArg),
      }),
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'start') planned = e.plan.reduce((a, p) => a + p.total, 0);
          if (e.type === 'sample-done' || e.type === 'sample-error') {
            done++;
            if (done >= stopAfter) controller.abort();
          }
        },
      },
    );
    const usage = process.resourceUsage();
    process.stdout.write(
      `${JSON.stringify({ planned, done, partial: out.results.partial, rowsRead: out.results.benchmarks[0]?.rowsRead, itemTokens: longest?.tokens, maxRssBytes: usage.maxRSS * 1024, ms: performance.now() - started })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

child().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
