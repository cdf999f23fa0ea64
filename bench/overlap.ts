/**
 * Issue 18, Must show 3: `contam overlap` on a generated corpus of more than 1 GB, against the
 * machine's read rate (`cat file > /dev/null`) and a simple 13-gram scan in Python on the same file
 * (bench/overlap-scan.py), with the items found checked against the planted ones; then the peak
 * memory of the same scan over the corpus' first quarter, which must be the same (memory is bounded
 * by the benchmark index, never by the corpus). Everything runs on the files in the page cache, as
 * the corpus was just written; one run of each, ratios from that run. The temp folder is deleted.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchmarkList } from '../src/cli/audit-flags.js';
import { loadQueries } from '../src/overlap/queries.js';
import { buildIndex } from '../src/overlap/results.js';
import { sharedDataDir } from './models.js';
import { writeBenchCorpus } from './overlap-corpus.js';
import type { HookResult } from './report.js';

export interface OverlapBenchOptions {
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

interface ContamRun {
  readonly workers: number;
  readonly wallSeconds: number;
  readonly scanSeconds: number;
  readonly mbPerSecond: number;
  readonly peakRssBytes: number;
  /** The whole process's CPU time, all threads, start-up and index included. */
  readonly cpuSeconds: number;
  readonly mbPerCpuSecond: number;
  readonly found: readonly string[];
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function timed(command: string, args: readonly string[], options: { stdout?: number; env?: NodeJS.ProcessEnv } = {}): { seconds: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: options.env ?? process.env, stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'] });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.slice(0, 3).join(' ')} failed (${r.status}): ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
  return { seconds, stdout: r.stdout ?? '' };
}

function runContam(corpus: string, bytes: number, benchmarks: string, workers: number, dir: string): ContamRun {
  const peakFile = join(dir, `peak-${workers}-${bytes}`);
  const cli = here('../src/cli/main.js');
  const args = ['--import', here('./overlap-peak.js'), cli, 'overlap', '--corpus', corpus, '-b', benchmarks, '--workers', String(workers), '--out-dir', join(dir, 'out'), '--json'];
  const { seconds, stdout } = timed(process.execPath, args, { env: { ...process.env, CONTAM_PEAK_FILE: peakFile } });
  const usage = JSON.parse(readFileSync(peakFile, 'utf8')) as { peakRssBytes: number; cpuSeconds: number };
  const results = JSON.parse(stdout) as { run: { seconds: number }; benchmarks: { matches: { id: string; found: boolean }[] }[] };
  return {
    workers,
    wallSeconds: seconds,
    scanSeconds: results.run.seconds,
    mbPerSecond: bytes / 1e6 / results.run.seconds,
    ...usage,
    mbPerCpuSecond: bytes / 1e6 / usage.cpuSeconds,
    found: results.benchmarks.flatMap((b) => b.matches.filter((m) => m.found).map((m) => m.id)).sort(),
  };
}

const same = (a: readonly string[], b: readonly string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

export async function measureOverlap(options: OverlapBenchOptions): Promise<HookResult> {
  const data = sharedDataDir();
  const gsm8k = join(data, 'benchmarks', 'gsm8k', 'test.jsonl');
  const arc = join(data, 'benchmarks', 'arc', 'ARC-Challenge-Test.jsonl');
  const mmlu = join(data, 'benchmarks', 'mmlu');
  for (const p of [gsm8k, arc, join(mmlu, 'test')]) if (!existsSync(p)) return { status: 'pending', reason: `${p} not found` };
  const specs = `gsm8k=${gsm8k},arc=${arc}`;
  const benchmarks = [];
  for (const spec of parseBenchmarkList(specs, undefined)) benchmarks.push(await loadQueries(spec, undefined, false));
  const indexStarted = performance.now();
  const index = buildIndex(benchmarks, 13);
  const indexMs = performance.now() - indexStarted;
  const dir = mkdtempSync(join(tmpdir(), 'contam-overlap-bench-'));
  const atStart = loadavg()[0];
  try {
    const target = options.quick ? 200e6 : 1.1e9;
    options.log(`overlap: writing a ${(target / 1e9).toFixed(2)} GB JSONL corpus of MMLU prose with 40 GSM8K/ARC items planted`);
    const corpus = await writeBenchCorpus({ dir, bytes: target, mmlu, index, plant: 40 });
    const devNull = openSync('/dev/null', 'w');
    const cat = timed('cat', [corpus.path], { stdout: devNull });
    closeSync(devNull);
    const workers = availableParallelism();
    options.log(`overlap: cat ${(corpus.bytes / 1e6 / cat.seconds).toFixed(0)} MB/s; contam overlap on ${workers} workers`);
    const full = runContam(corpus.path, corpus.bytes, specs, workers, dir);
    options.log(`overlap: contam ${full.mbPerSecond.toFixed(1)} MB/s; the first quarter, ${workers} workers and 1`);
    const quarter = runContam(corpus.quarterPath, corpus.quarterBytes, specs, workers, dir);
    const quarterOne = runContam(corpus.quarterPath, corpus.quarterBytes, specs, 1, dir);
    options.log('overlap: the Python 13-gram scan');
    const py = timed('python3', [here('../../bench/overlap-scan.py'), corpus.path, gsm8k, arc]);
    const python = JSON.parse(py.stdout) as { found: string[]; seconds: number; cpu_seconds: number };
    const MB = corpus.bytes / 1e6;
    return {
      status: 'measured',
      corpus: { bytes: corpus.bytes, records: corpus.records, quarterBytes: corpus.quarterBytes, planted: corpus.planted.length, expected: corpus.expected.length, source: 'MMLU test questions and choices (sentences recombined, seeded), GSM8K/ARC-Challenge test questions planted' },
      index: { items: index.items.length, ngrams: index.size, buildMs: indexMs },
      readMbPerSecond: MB / cat.seconds,
      contam: full,
      contamQuarter: quarter,
      contamQuarterOneThread: quarterOne,
      perCoreMbPerSecond: full.mbPerSecond / full.workers,
      python: { seconds: python.seconds, wallSeconds: py.seconds, mbPerSecond: MB / python.seconds, cpuSeconds: python.cpu_seconds, mbPerCpuSecond: MB / python.cpu_seconds, found: python.found.length },
      contamFindsPlanted: same(full.found, corpus.expected),
      pythonAgrees: same(python.found, full.found),
      quarterFindsPlanted: same(quarter.found, corpus.expectedInQuarter) && same(quarterOne.found, corpus.expectedInQuarter),
      // Other engineers share this machine: the load says how far the rates are from an idle one's.
      loadAverage: { atStart, atEnd: loadavg()[0] },
      ratios: {
        contamOverRead: full.mbPerSecond / (MB / cat.seconds),
        contamOverPython: full.mbPerSecond / (MB / python.seconds),
        contamOverPythonPerCpuSecond: full.mbPerCpuSecond / (MB / python.cpu_seconds),
        workersOverOneThread: quarter.mbPerSecond / quarterOne.mbPerSecond,
        peakFullOverQuarter: full.peakRssBytes / quarter.peakRssBytes,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
