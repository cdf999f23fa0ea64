/**
 * Child process for the peak-memory measurement: runs an audit over a plan and stops it (the
 * engine's abort signal) after `--stop-after` samples, then prints its peak RSS as one JSON line.
 * Usage: node peak-memory-child.js <target> <reference> <mmlu-test-folder> <samples|all|jsonl:PATH> <stop-after>
 * `jsonl:PATH` plans a custom JSONL benchmark instead of MMLU (the parent writes the longest items
 * there, so the child's peak holds nothing the audit itself would not).
 */
import { readFileSync } from 'node:fs';
import { runAudit } from '../src/audit/run.js';
import { benchAuditConfig } from './audit-config.js';

/**
 * This process's own peak RSS. Linux keeps getrusage's maxrss across exec, so a child spawned by a
 * bench that had grown to several GB reported the bench's size; VmHWM belongs to the new image.
 */
function peakRssBytes(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // Not Linux: getrusage below.
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function child(): Promise<void> {
  const [target, reference, mmlu, samplesArg, stopArg] = process.argv.slice(2);
  const stopAfter = Number(stopArg);
  const controller = new AbortController();
  let done = 0;
  let planned = 0;
  const started = performance.now();
  const custom = samplesArg.startsWith('jsonl:') ? samplesArg.slice(6) : undefined;
  const out = await runAudit(
    benchAuditConfig({
      target,
      reference,
      benchmarks: [custom ? { name: 'custom', task: 'custom', path: custom } : { name: 'mmlu', task: 'mmlu', path: mmlu }],
      samples: samplesArg === 'all' || custom ? 1_000_000 : Number(samplesArg),
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
  process.stdout.write(
    `${JSON.stringify({ planned, done, partial: out.results.partial, rowsRead: out.results.benchmarks[0]?.rowsRead, maxRssBytes: peakRssBytes(), ms: performance.now() - started })}\n`,
  );
}

child().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
