/**
 * The engine backend's cost (issue: models served by vLLM): scoring and sampling through the
 * vLLM-format loopback server against the same model run locally, Min-K%++'s full-vocabulary
 * prompt log-probs per token, and contam's own CPU time (HTTP, JSON, tokenisation, bookkeeping) as a
 * share of a whole audit's wall time with both models served. The server runs in a child process,
 * so process.cpuUsage() of this process is the client alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAudit } from '../src/audit/run.js';
import { demoConfig } from '../src/cli/commands/demo.js';
import { prepareDemo } from '../src/demo/prepare.js';
import type { ModelBackend } from '../src/models/backend.js';
import { openOnnxBackend } from '../src/models/onnx/backend.js';
import { openRemoteBackend } from '../src/models/remote/backend.js';
import type { BenchModel } from './models.js';
import { clientShare } from './client-share.js';
import type { HookResult } from './report.js';

export interface RemoteOptions {
  readonly model: BenchModel;
  readonly texts: readonly string[];
  readonly cacheDir: string;
  readonly quick: boolean;
  readonly log: (line: string) => void;
}

/** A published prefill rate to project the client's share onto a GPU engine (README: SOLAR 10.7B on one H100, estimated). */
export const ENGINE_PREFILL_TOK_S = 28_000;

async function serve(models: Record<string, string>, maxLogprobs: number): Promise<{ url: string; child: ChildProcess }> {
  const script = fileURLToPath(new URL('./serve-loopback.js', import.meta.url));
  const child = spawn(process.execPath, [script, '--max-logprobs', String(maxLogprobs), ...Object.entries(models).map(([n, d]) => `${n}=${d}`)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) done(out.trim());
    });
    child.on('exit', (code) => fail(new Error(`loopback server exited with ${code}`)));
  });
  return { url, child };
}

/** Wall time and this process's CPU time of one call. */
async function timed<T>(run: () => Promise<T>): Promise<{ value: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return { value, wallMs: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 1; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

export async function measureRemote(options: RemoteOptions): Promise<HookResult> {
  const { model, log } = options;
  const served = await serve({ bench: model.dir }, -1);
  let local: ModelBackend | undefined;
  try {
    local = await openOnnxBackend(model.dir);
    const remote = await openRemoteBackend({ url: served.url }, { concurrency: 8 });
    const ids = await local.tokenize(options.texts);
    const tokens = ids.reduce((s, x) => s + x.length, 0);
    log(`remote: scoring ${ids.length} texts (${tokens} tokens) locally and through the loopback server`);
    // The engine first: onnxruntime's threads spin for a while after a local run, on this process's clock.
    await remote.score(ids, { distribution: false });
    const REPEATS = 5;
    const r = await clientShare(async () => {
      let out: Awaited<ReturnType<ModelBackend['score']>> = [];
      for (let i = 0; i < REPEATS; i++) out = await remote.score(ids, { distribution: false });
      return out;
    });
    const l = await timed(() => local!.score(ids, { distribution: false }));
    const scoreDiff = Math.max(...r.value.map((s, i) => maxDiff(s.logprob, l.value[i].logprob)));

    // Min-K%++ through the engine: every vocabulary entry at every position, on a few short texts.
    const short = ids.slice(0, 2).map((x) => x.slice(0, 24));
    const fullTokens = short.reduce((s, x) => s + x.length - 1, 0);
    const bytesBefore = remote.traffic!().bytesReceived;
    const f = await timed(() => remote.score(short, { distribution: true }));
    const fullBytes = remote.traffic!().bytesReceived - bytesBefore;
    const lf = await local.score(short, { distribution: true });
    const momentDiff = Math.max(...f.value.map((s, i) => Math.max(maxDiff(s.mean, lf[i].mean), maxDiff(s.std, lf[i].std))));

    const [prefix] = await local.tokenize([options.texts[0].split(' ').slice(0, 12).join(' ')]);
    const sampling = { n: 20, maxNewTokens: 20, minNewTokens: 20, temperature: 1, topK: 50, topP: 1, seed: 1 };
    const prefixInput = { ids: prefix, text: '' };
    const ls = await timed(() => local!.sample(prefixInput, sampling));
    const rs = await timed(() => remote.sample(prefixInput, sampling));
    await local.close();
    local = undefined;
    served.child.kill('SIGTERM');

    const audit = await remoteAudit(options);
    remote.close();
    const clientUsPerToken = (r.clientMs * 1000) / (tokens * REPEATS);
    // Per token the engine handled in the audit (scored by either model, or sampled), against the time a GPU engine takes per token.
    const auditUs = ((audit.clientMs as number) * 1000) / ((audit.scoredTokens as number) + (audit.sampledTokens as number));
    const projected = auditUs / (auditUs + 1e6 / ENGINE_PREFILL_TOK_S);
    return {
      status: 'measured',
      scoring: {
        texts: ids.length,
        tokens,
        localTokPerSec: (tokens / l.wallMs) * 1000,
        remoteTokPerSec: ((tokens * REPEATS) / r.wallMs) * 1000,
        clientShare: r.clientMs / r.wallMs,
        clientUsPerToken,
        maxLogprobDifference: scoreDiff,
      },
      fullVocabulary: {
        vocab: model.spec.vocab,
        positions: fullTokens,
        msPerPosition: f.wallMs / fullTokens,
        clientMsPerPosition: f.cpuMs / fullTokens,
        megabytesPerPosition: fullBytes / fullTokens / 1e6,
        maxMomentDifference: momentDiff,
      },
      sampling: {
        n: sampling.n,
        newTokens: sampling.maxNewTokens,
        localTokPerSec: ((sampling.n * sampling.maxNewTokens) / ls.wallMs) * 1000,
        remoteTokPerSec: ((sampling.n * sampling.maxNewTokens) / rs.wallMs) * 1000,
        clientCpuShare: rs.cpuMs / rs.wallMs,
      },
      audit,
      clientUsPerAuditToken: auditUs,
      projectedClientShare: projected,
      engineTokPerSec: ENGINE_PREFILL_TOK_S,
    };
  } finally {
    await local?.close();
    served.child.kill('SIGTERM');
  }
}

/**
 * The demo's models, both served by one loopback server; one benchmark, control on, early stopping
 * on. Twice: the engine's default --max-logprobs 20 with the detectors it allows and the models'
 * tokenizer.json given (the set-up the README recommends), and Min-K%++ with every vocabulary entry.
 */
async function remoteAudit(options: RemoteOptions): Promise<Record<string, unknown>> {
  const root = join(options.cacheDir, 'remote-audit');
  mkdirSync(root, { recursive: true });
  const demo = await prepareDemo({ cacheDir: root, size: 'ci' });
  const base = demoConfig(demo, root, { cache: false, outDir: root });
  const benchmarks = base.benchmarks.filter((b) => b.name === demo.expected.partial.name);
  const one = async (label: string, maxLogprobs: number, detectors: string[], samples: number) => {
    const served = await serve({ 'demo-target': demo.targetDir, 'demo-reference': demo.referenceDir }, maxLogprobs);
    try {
      const spec = (model: string, dir: string) => ({ url: served.url, model, tokenizer: join(dir, 'tokenizer.json') });
      const config = { ...base, target: spec('demo-target', demo.targetDir), reference: spec('demo-reference', demo.referenceDir), benchmarks, samples, neighbours: 100, detectors };
      options.log(`remote: ${label}: ${samples} samples x 100 neighbours, both demo models served by the loopback server`);
      await runAudit({ ...config, samples: 2 }); // warm-up: connections, JIT
      const run = await clientShare(() => runAudit(config));
      const { target, reference } = run.value.results.models;
      writeFileSync(join(root, `results-${maxLogprobs}.json`), JSON.stringify(run.value.results, null, 2));
      return {
        detectors: detectors.join(','),
        samples,
        wallMs: run.wallMs,
        busyMs: run.busyMs,
        clientMs: run.clientMs,
        clientShare: run.clientMs / run.wallMs,
        requests: (target.traffic?.requests ?? 0) + (reference.traffic?.requests ?? 0),
        scoredTokens: (target.traffic?.scoredTokens ?? 0) + (reference.traffic?.scoredTokens ?? 0),
        sampledTokens: reference.traffic?.sampledTokens ?? 0,
        megabytes: ((target.traffic?.bytesReceived ?? 0) + (reference.traffic?.bytesReceived ?? 0)) / 1e6,
      };
    } finally {
      served.child.kill('SIGTERM');
    }
  };
  const cheap = await one('default engine settings', 20, ['loss', 'min-k', 'zlib'], options.quick ? 10 : 20);
  const full = await one('with Min-K%++ (--max-logprobs -1)', -1, ['loss', 'min-k', 'min-k-plus-plus', 'zlib'], options.quick ? 3 : 6);
  return { ...cheap, withMinKPlusPlus: full };
}
