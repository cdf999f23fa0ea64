/**
 * Helpers for tests that spawn the built CLI (dist/cli/main.js) on fixture models: run it to the
 * end, run it until a line of its stderr says to kill it, read the per-sample cache files, and
 * compare results.json files without the keys that legitimately differ between runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCacheFile } from '../../src/cache/store.js';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CLI = join(REPO, 'dist', 'cli', 'main.js');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `contam-${prefix}-`));
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SpawnOptions {
  /** Extra environment; CI is always set so the CLI takes the plain path. */
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Called with each complete stderr line; return true to signal the process right there. */
  readonly killWhen?: (line: string) => boolean;
  /** The signal killWhen sends; default SIGKILL. */
  readonly killSignal?: NodeJS.Signals;
}

/** Runs `node dist/cli/main.js ...args`; CONTAM_CACHE_DIR is a fresh temp dir unless env or --cache-dir says otherwise. */
export function runCli(args: readonly string[], options: SpawnOptions = {}): Promise<CliRun> {
  return new Promise((resolveRun, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, CI: 'true', FORCE_COLOR: '0', CONTAM_CACHE_DIR: tempDir('cache-env'), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let killed = false;
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr!.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      stderr += text;
      if (!options.killWhen || killed) return;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (options.killWhen(line)) {
          killed = true;
          child.kill(options.killSignal ?? 'SIGKILL');
          return;
        }
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
}

/**
 * The audit flags every reliability test shares: a small neighbour count, and no early stopping, so
 * every computed sample costs the same number of model calls and call counts prove what was cached.
 */
export function auditArgs(fixture: { target: string; reference: string }, extra: readonly string[]): string[] {
  return ['audit', '--target', fixture.target, '--reference', fixture.reference, '--neighbours', '20', '--no-early-stop', ...extra];
}

export interface CachedSample {
  readonly id: string;
  readonly benchmark: string;
}

export interface CacheLine {
  readonly line: number;
  readonly raw: string;
  /** The parsed `{k, v}` record, or undefined when the line is damaged. */
  readonly record?: { readonly k: string; readonly v: CachedSample };
}

/** Every cache file under `<cacheDir>/v1/`, each as its lines (the trailing empty piece dropped). */
export function cacheFiles(cacheDir: string): { file: string; lines: CacheLine[] }[] {
  const root = join(cacheDir, 'v1');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => {
      const file = join(root, f);
      const text = readFileSync(file, 'utf8');
      const pieces = text.split('\n');
      if (pieces[pieces.length - 1] === '') pieces.pop();
      const lines = pieces.map((raw, i): CacheLine => {
        const parsed = parseCacheFile(raw);
        const [entry] = parsed.records.entries();
        if (!entry) return { line: i + 1, raw };
        return { line: i + 1, raw, record: { k: entry[0], v: entry[1] as CachedSample } };
      });
      return { file, lines };
    });
}

/** Distinct valid sample records in the cache, counted per benchmark. */
export function cachedPerBenchmark(cacheDir: string): Record<string, number> {
  const seen = new Map<string, string>();
  for (const { lines } of cacheFiles(cacheDir)) for (const l of lines) if (l.record) seen.set(l.record.k, l.record.v.benchmark);
  const counts: Record<string, number> = {};
  for (const benchmark of seen.values()) counts[benchmark] = (counts[benchmark] ?? 0) + 1;
  return counts;
}

// Keys that differ between two runs of the same audit, and why:
// - startedAt, finishedAt, durationMs, timing, benchmarks[].durationMs: wall-clock time.
// - modelCalls, benchmarks[].cacheHits: how much came from the cache, which is what a resumed run changes.
// - command, config.cache.dir, config.outDir: the command line and the folders it names (each run
//   gets its own cache and report folder).
export const VOLATILE_TOP = ['startedAt', 'finishedAt', 'durationMs', 'timing', 'modelCalls', 'command'] as const;
export const VOLATILE_BENCHMARK = ['durationMs', 'cacheHits'] as const;

/** results.json without the volatile keys above (cache.dir and outDir removed from config). */
export function comparable(results: Record<string, unknown>, drop: { cache?: boolean; paths?: boolean } = { cache: true, paths: true }): Record<string, unknown> {
  const out: Record<string, unknown> = { ...results };
  for (const key of VOLATILE_TOP) {
    if (key === 'modelCalls' && !drop.cache) continue;
    if (key === 'command' && !drop.paths) continue;
    delete out[key];
  }
  const config = { ...(out.config as Record<string, unknown>) };
  if (drop.paths) {
    delete config.outDir;
    config.cache = { ...(config.cache as Record<string, unknown>), dir: '<cache dir>' };
  }
  out.config = config;
  out.benchmarks = (out.benchmarks as Record<string, unknown>[]).map((b) => {
    const copy = { ...b };
    delete copy.durationMs;
    if (drop.cache) delete copy.cacheHits;
    return copy;
  });
  return out;
}

export function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

export interface BenchmarkJson {
  readonly name: string;
  readonly cacheHits: number;
  readonly samplesScored: number;
  readonly samplesPlanned: number;
}

export function benchmarksOf(results: Record<string, unknown>): BenchmarkJson[] {
  return results.benchmarks as BenchmarkJson[];
}
