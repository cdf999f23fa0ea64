/**
 * Issue #8 item 6: peak resident memory of an audit whose plan is the whole MMLU test set.
 * Each measurement is a fresh child process (peak RSS is per process):
 *  - the audit runs over the whole plan and is stopped after some samples;
 *  - a second child plans only that many samples (equal peaks: memory does not grow with the plan);
 *  - a third plans the two longest MMLU items and stops after the first: memory does grow with the
 *    longest text met (its forward passes and its neighbours' cache), so a short run that never
 *    meets one would understate the peak.
 * The goal compares the larger peak with 1.5 x the model files + 300 MB (both models' files: an
 * audit holds target and reference).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { loadBenchmark } from '../src/benchmarks/load.js';
import { modelFileBytes, resolveModel } from '../src/models/onnx/resolve.js';
import { loadTokenizer } from '../src/models/tokenizer.js';
import { NODE_ENV, NODE_FLAGS } from '../src/cli/node-flags.js';
import type { BenchModel } from './models.js';
import { sharedDataDir } from './models.js';
import type { HookResult } from './report.js';

export interface PeakMemoryOptions {
  readonly model: BenchModel;
  /** The reference model of the audit (the smaller bench model). */
  readonly reference: BenchModel;
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

interface ChildResult {
  planned: number;
  done: number;
  maxRssBytes: number;
  ms: number;
}

/**
 * The K longest MMLU test items (reference tokens) as a custom JSONL benchmark, chosen here so the
 * child holds no tokenizer or dataset the audit would not.
 */
async function longestItems(reference: string, mmlu: string, k: number, dir: string): Promise<{ path: string; tokens: number[] }> {
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
  return { path, tokens: longest.map((x) => x.n) };
}

function childScript(): string {
  const js = fileURLToPath(new URL('./peak-memory-child.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./peak-memory-child.ts', import.meta.url));
}

/** One model as target and reference, with its own limit. */
export interface SmallPair extends ChildResult {
  readonly limitBytes: number;
  readonly model: string;
}

function runChild(args: string[]): ChildResult {
  // execArgv carries tsx's loader when the bench runs from source; the bin's node flags
  // (src/cli/node-flags.ts), so the child collects and sizes its young generation as the CLI does.
  const r = spawnSync(process.execPath, [...process.execArgv, ...NODE_FLAGS, childScript(), ...args], { encoding: 'utf8', maxBuffer: 1 << 24, env: { ...process.env, ...NODE_ENV } });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`peak-memory child failed (${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(line) as ChildResult;
}

export async function measurePeakMemory(options: PeakMemoryOptions): Promise<HookResult> {
  const mmlu = join(sharedDataDir(), 'benchmarks', 'mmlu');
  if (!existsSync(join(mmlu, 'test'))) return { status: 'pending', reason: `${mmlu}/test not found` };
  const stopAfter = options.quick ? 2 : 10;
  const files = options.model.fileBytes + options.reference.fileBytes;
  const limitBytes = 1.5 * files + 300e6;
  const args = (plan: string, stop: number) => [options.model.dir, options.reference.dir, mmlu, plan, String(stop)];
  options.log(`peak memory: audit over the whole MMLU test plan, stopped after ${stopAfter} samples`);
  const whole = runChild(args('all', stopAfter));
  options.log(`peak memory: audit over a ${stopAfter}-sample plan`);
  const small = runChild(args(String(stopAfter), stopAfter));
  let longest: (ChildResult & { itemTokens: number[] }) | undefined;
  let longestDir: string | undefined;
  let longestPath: string | undefined;
  const smallPairs: SmallPair[] = [];
  try {
    if (!options.quick) {
      options.log('peak memory: audit over the two longest MMLU test items, stopped after the first (a few minutes)');
      longestDir = mkdtempSync(join(tmpdir(), 'contam-peak-'));
      const items = await longestItems(options.reference.dir, mmlu, 2, longestDir);
      longestPath = items.path;
      longest = { ...runChild(args(`jsonl:${items.path}`, 1)), itemTokens: items.tokens };
    }
    // Issue 20 goal 4 holds for small models too: each small model as target and reference, on the
    // same longest items (its own limit: 1.5 x its files twice + 300 MB). The real tiny Llama export
    // in ../shared/data is the smallest there is here: 2 MB of files and a 32,000-token vocabulary.
    if (!options.quick && longestPath) {
      const llama = join(sharedDataDir(), 'models', 'tiny-random-LlamaForCausalLM-fp16');
      const pairs = [
        { model: options.reference.spec.name, dir: options.reference.dir, bytes: options.reference.fileBytes },
        ...(existsSync(llama) ? [{ model: 'tiny-random-LlamaForCausalLM-fp16 (../shared/data)', dir: llama, bytes: modelFileBytes(resolveModel(llama)) }] : []),
      ];
      for (const pair of pairs) {
        options.log(`peak memory: the same two items with ${pair.model} as target and reference`);
        smallPairs.push({ ...runChild([pair.dir, pair.dir, mmlu, `jsonl:${longestPath}`, '1']), limitBytes: 1.5 * 2 * pair.bytes + 300e6, model: pair.model });
      }
    }
  } finally {
    if (longestDir) rmSync(longestDir, { recursive: true, force: true });
  }
  const peakBytes = Math.max(whole.maxRssBytes, longest?.maxRssBytes ?? 0);
  const MB = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  return {
    status: 'measured',
    target: options.model.spec.name,
    reference: options.reference.spec.name,
    modelFilesBytes: files,
    limitBytes,
    peakBytes,
    wholePlan: whole,
    smallPlan: small,
    longestItems: longest,
    smallPairs,
    growthBytes: whole.maxRssBytes - small.maxRssBytes,
    measured: longest ? `${MB(whole.maxRssBytes)} (${whole.done} samples); ${MB(longest.maxRssBytes)} (the longest item, ${longest.itemTokens[0]} tokens)` : MB(whole.maxRssBytes),
    reason:
      `${MB(whole.maxRssBytes)} with ${whole.planned} samples planned and ${whole.done} run vs ${MB(small.maxRssBytes)} with ${small.planned} planned` +
      (longest ? `; ${MB(longest.maxRssBytes)} on the longest MMLU test item (${longest.itemTokens[0]} tokens)` : '') +
      `; files ${MB(files)}, limit ${MB(limitBytes)}`,
  };
}
