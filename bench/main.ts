/**
 * `npm run bench` (issue #8): the ORT MatMul ceiling, scoring and neighbour sampling through contam's
 * runtime and through @huggingface/transformers on the same model folder, in one run, interleaved.
 *
 * Method (performance-notes.md): one warm-up of every configuration, then rounds; each round runs a
 * ceiling probe, every configuration once (order rotating per round), and another probe. A run's
 * fraction of ceiling is its GFLOP/s over the mean of its round's two probes; figures are medians.
 * Ratios are taken per round (both sides from the same round), then the median.
 *
 *   npm run bench                 GPT-2-small shape (goals) + the smaller model
 *   npm run bench -- --quick      the smaller model only, fewer rounds and texts
 *   options: --rounds N --sampling-rounds N --out bench/results.json --no-tjs --cache DIR --no-overlap
 *            --paper-samples N (items per benchmark of the paper workload; default 3, --quick 1)
 *            --only models,early,memory,remote,paper,overlap  (measure these parts; the others are
 *            kept from the existing --out file, and the goals are recomputed over the whole)
 */
import { cpus, totalmem, availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { openModel, type OpenedModel } from '../src/models/onnx/open.js';
import { openCeiling, type CeilingProbe } from './ceiling.js';
import { GPT2_MINI, GPT2_SMALL, nonEmbeddingParams, prepareModel, type BenchModel } from './models.js';
import { markdownReport, median, spread, writeResults, type BenchResults, type ConfigResult, type GoalResult, type ModelResult, type RatioResult, type RunRecord } from './report.js';
import { samplingWorkloads } from './sampling.js';
import { scoringWorkloads, timeSessionRuns, TJS_SCORING_ROWS, type Workload, type WorkloadRun } from './scoring.js';
import { benchTexts } from './texts.js';
import { openTransformersJs, packageVersion, type TjsRunner } from './transformers-js.js';
import { measureEarlyStopping } from './early-stopping.js';
import { measurePeakMemory, type SmallPair } from './peak-memory.js';
import { ENGINE_PREFILL_TOK_S, measureRemote } from './remote.js';
import { measurePaperWorkload } from './paper-workload.js';
import { paperGoal, peerRates } from './paper-goal.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { measureOverlap } from './overlap.js';
import { overlapGoals } from './overlap-report.js';
import { overheadGoals, speedGoals } from './speed-goals.js';

interface Args {
  quick: boolean;
  rounds: number;
  samplingRounds: number;
  out: string;
  tjs: boolean;
  cache: string;
  audit: boolean;
  paperSamples: number;
  overlap: boolean;
  /** Parts to measure; undefined: all. */
  only?: ReadonlySet<string>;
}

export const PARTS = ['models', 'early', 'memory', 'remote', 'paper', 'overlap'] as const;

function parseArgs(argv: readonly string[]): Args {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    quick,
    rounds: Number(value('--rounds') ?? 3),
    samplingRounds: Number(value('--sampling-rounds') ?? 2),
    out: resolve(value('--out') ?? join('bench', 'results.json')),
    tjs: !argv.includes('--no-tjs'),
    cache: resolve(value('--cache') ?? join('.cache', 'bench-models')),
    audit: !argv.includes('--no-audit'),
    paperSamples: Number(value('--paper-samples') ?? (quick ? 1 : 3)),
    overlap: !argv.includes('--no-overlap'),
    ...(value('--only') ? { only: new Set(value('--only')!.split(',')) } : {}),
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function packageVersionOf(name: string): string {
  try {
    const require = createRequire(import.meta.url);
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

interface RoundRecord {
  readonly round: number;
  readonly ceiling: number;
  readonly runs: Map<string, WorkloadRun>;
}

function rowsOf(w: Workload, result: WorkloadRun | WorkloadRun[]): [string, WorkloadRun][] {
  if (!Array.isArray(result)) return [[w.name, result]];
  // The transformers.js scoring workload yields forward-only and end-to-end rows from one run.
  return result.map((r, i) => [w.runtime === 'transformers.js' && w.name === TJS_SCORING_ROWS[0] ? TJS_SCORING_ROWS[i] : `${w.name} #${i}`, r]);
}

/** Warm-up, then interleaved rounds with ceiling probes before and after. */
async function interleaved(
  workloads: readonly Workload[],
  rounds: number,
  ceiling: CeilingProbe,
  oneThread: CeilingProbe | undefined,
  probes: number[],
  oneThreadProbes: number[],
  label: string,
): Promise<RoundRecord[]> {
  log(`${label}: warm-up`);
  for (const w of workloads) await w.run();
  const out: RoundRecord[] = [];
  for (let round = 0; round < rounds; round++) {
    const before = await ceiling.probe();
    const order = workloads.map((_, i) => workloads[(i + round) % workloads.length]);
    const runs = new Map<string, WorkloadRun>();
    for (const w of order) for (const [name, r] of rowsOf(w, await w.run())) runs.set(name, r);
    const after = await ceiling.probe();
    if (oneThread) oneThreadProbes.push(await oneThread.probe(10));
    probes.push(before, after);
    out.push({ round, ceiling: (before + after) / 2, runs });
    log(`${label}: round ${round + 1}/${rounds} ceiling ${before.toFixed(0)}/${after.toFixed(0)} GFLOP/s; ${[...runs].map(([n, r]) => `${n.slice(0, 28)}=${((r.tokens / r.ms) * 1000).toFixed(0)}`).join(', ')}`);
  }
  return out;
}

function summarise(workload: 'scoring' | 'sampling', workloads: readonly Workload[], records: readonly RoundRecord[]): ConfigResult[] {
  const names = [...new Set(records.flatMap((r) => [...r.runs.keys()]))];
  return names.map((name) => {
    const w = workloads.find((x) => x.name === name || (name === TJS_SCORING_ROWS[1] && x.name === TJS_SCORING_ROWS[0]))!;
    const runs: RunRecord[] = records.flatMap((rec) => {
      const r = rec.runs.get(name);
      if (!r) return [];
      const gflops = r.flops / (r.ms / 1000) / 1e9;
      return [
        {
          round: rec.round,
          ms: r.ms,
          tokens: r.tokens,
          tokPerSec: (r.tokens / r.ms) * 1000,
          gflops,
          fraction: gflops / rec.ceiling,
          ...(r.sessionMs !== undefined ? { inSession: r.sessionMs / r.ms } : {}),
          ...(r.extra ? { extra: r.extra } : {}),
        },
      ];
    });
    const inSession = runs.every((r) => r.inSession !== undefined) ? median(runs.map((r) => r.inSession!)) : undefined;
    return {
      name,
      workload,
      runtime: w.runtime,
      lever: name === TJS_SCORING_ROWS[1] ? 'peer, end to end' : w.lever,
      runs,
      tokPerSec: spread(runs.map((r) => r.tokPerSec)),
      gflops: spread(runs.map((r) => r.gflops)),
      fraction: spread(runs.map((r) => r.fraction)),
      ...(inSession !== undefined ? { inSession } : {}),
    };
  });
}

/** Per-round ratio of tok/s (numerator over denominator), then its spread. */
function ratio(name: string, records: readonly RoundRecord[], num: string, den: string): RatioResult | undefined {
  const values = records.flatMap((rec) => {
    const a = rec.runs.get(num);
    const b = rec.runs.get(den);
    return a && b ? [a.tokens / a.ms / (b.tokens / b.ms)] : [];
  });
  if (values.length === 0) return undefined;
  return { name, ...spread(values) };
}

async function benchModel(bm: BenchModel, args: Args, texts: readonly string[]): Promise<{ result: ModelResult; prefixTokens: number; tokens: number }> {
  const spec = bm.spec;
  log(`${spec.name}: opening contam runtime`);
  let t = performance.now();
  const model: OpenedModel = await openModel(bm.dir);
  const contamLoadMs = performance.now() - t;
  const modelTimer = timeSessionRuns(model.opened.session as never);
  const noHeadModel = args.quick ? undefined : await openModel(bm.dir, { noHead: true });
  const noHead = noHeadModel ? { model: noHeadModel, timer: timeSessionRuns(noHeadModel.opened.session as never) } : undefined;
  let tjs: TjsRunner | undefined;
  if (args.tjs) {
    log(`${spec.name}: opening transformers.js`);
    tjs = await openTransformersJs(bm.dir, model.opened.threads);
  }
  const ceiling = await openCeiling(model.opened.threads);
  const oneThread = model.opened.threads > 1 ? await openCeiling(1) : undefined;
  const seqs = texts.map((text) => model.tokenizer.encode(text));
  const tokens = seqs.reduce((a, s) => a + s.length, 0);
  const padId = bm.endOfTextId;
  const prefix = seqs.find((s) => s.length >= 25)?.slice(0, 25) ?? seqs[0];

  const probes: number[] = [];
  const oneThreadProbes: number[] = [];
  const scoring = scoringWorkloads({ spec, model, modelTimer, noHead, tjs, seqs, padId });
  const scoringRounds = await interleaved(scoring, args.rounds, ceiling, oneThread, probes, oneThreadProbes, `${spec.name} scoring`);
  noHead && (await noHead.model.close());
  const n = 100;
  const sampling = samplingWorkloads({ spec, model, modelTimer, tjs, prefix, n, maxNewTokens: 40, sequentialRows: args.quick ? 10 : 5 });
  const samplingRounds = await interleaved(sampling, args.samplingRounds, ceiling, oneThread, probes, oneThreadProbes, `${spec.name} sampling`);

  const configs = [...summarise('scoring', scoring, scoringRounds), ...summarise('sampling', sampling, samplingRounds)];
  const [defaultScoring] = scoring;
  const [batchedSampling, sequentialSampling] = sampling;
  const ratios = [
    ratio('scoring: contam default / transformers.js forward alone', scoringRounds, defaultScoring.name, TJS_SCORING_ROWS[0]),
    ratio('scoring: contam default / transformers.js forward + JS log-softmax', scoringRounds, defaultScoring.name, TJS_SCORING_ROWS[1]),
    ratio(`sampling: contam batched / transformers.js tiled batch of ${n}`, samplingRounds, batchedSampling.name, sampling[2]?.name ?? ''),
    ratio(`sampling: contam batched / transformers.js num_return_sequences (as written)`, samplingRounds, batchedSampling.name, sampling[3]?.name ?? ''),
    ratio('sampling: contam batched / contam one at a time', samplingRounds, batchedSampling.name, sequentialSampling.name),
  ].filter((x): x is RatioResult => x !== undefined);

  await ceiling.close();
  await oneThread?.close();
  await tjs?.close();
  await model.close();
  const result: ModelResult = {
    name: spec.name,
    dims: { layers: spec.layers, width: spec.width, heads: spec.heads, vocab: spec.vocab, context: spec.context },
    nonEmbeddingParams: nonEmbeddingParams(spec),
    fileBytes: bm.fileBytes,
    tokenizer: bm.tokenizer,
    loadMs: { contam: contamLoadMs, ...(tjs ? { transformersJs: tjs.loadMs } : {}) },
    ceiling: {
      threads: model.opened.threads,
      gflops: spread(probes),
      ...(oneThreadProbes.length ? { oneThreadGflops: spread(oneThreadProbes) } : {}),
      probes,
    },
    configs,
    ratios,
  };
  return { result, prefixTokens: prefix.length, tokens };
}

function goals(primary: ModelResult, quick: boolean, early: BenchResults['earlyStopping'], memory: BenchResults['peakMemory'], remote: BenchResults['remote'], paper: BenchResults['paperWorkload']): GoalResult[] {
  const cfg = (name: string) => primary.configs.find((c) => c.name.startsWith(name));
  const where = quick ? ` (${primary.name}; --quick: not the GPT-2-small model)` : '';
  const out: GoalResult[] = [];
  const scoring = cfg('contam scoreIds');
  if (scoring) {
    const f = scoring.fraction.median;
    out.push({ goal: `scoring at >= 0.6 of the matmul ceiling${where}`, target: '>= 0.60', measured: `${f.toFixed(2)} [${scoring.fraction.min.toFixed(2)}–${scoring.fraction.max.toFixed(2)}]`, status: f >= 0.6 ? 'met' : 'not met' });
  }
  out.push(...speedGoals(primary, where));
  const ratioSaved = typeof early.ratio === 'number' ? early.ratio : undefined;
  out.push({
    goal: 'early stopping scores >= 3x fewer neighbours (clean benchmark, identical flags)',
    target: '>= 3.00x',
    measured: ratioSaved !== undefined ? `${ratioSaved.toFixed(2)}x${early.flagsIdentical === false ? ' (flags differ!)' : ''}` : String(early.reason ?? 'pending'),
    status: early.status === 'pending' ? 'pending' : ratioSaved !== undefined && ratioSaved >= 3 && early.flagsIdentical !== false ? 'met' : 'not met',
  });
  const peak = typeof memory.peakBytes === 'number' ? memory.peakBytes : undefined;
  const limit = typeof memory.limitBytes === 'number' ? memory.limitBytes : undefined;
  // Issue 20, goal 4: within the limit with at least 100 MB to spare in the worst run.
  const MARGIN = 100e6;
  const margin = peak !== undefined && limit !== undefined ? `; ${peak <= limit ? `within the limit by ${((limit - peak) / 1e6).toFixed(0)} MB` : `over the limit by ${((peak - limit) / 1e6).toFixed(0)} MB`}` : '';
  out.push({
    goal: 'peak memory of an audit over the whole MMLU test plan <= 1.5 x model files + 300 MB, with >= 100 MB to spare (issue 20 goal 4)',
    target: limit !== undefined ? `<= ${(limit / 1e6).toFixed(0)} MB, margin >= 100 MB` : '<= 1.5 x files + 300 MB, margin >= 100 MB',
    measured: (typeof memory.measured === 'string' ? memory.measured : peak !== undefined ? `${(peak / 1e6).toFixed(0)} MB` : String(memory.reason ?? 'pending')) + margin,
    status: memory.status === 'pending' ? 'pending' : peak !== undefined && limit !== undefined && peak <= limit - MARGIN ? 'met' : 'not met',
  });
  for (const pair of (memory.smallPairs ?? []) as SmallPair[]) {
    const spare = pair.limitBytes - pair.maxRssBytes;
    out.push({
      goal: `issue 20 goal 4 for a small model: ${pair.model} as target and reference, the longest MMLU item, <= 1.5 x model files + 300 MB with >= 100 MB to spare`,
      target: `<= ${(pair.limitBytes / 1e6).toFixed(0)} MB, margin >= 100 MB`,
      measured: `${(pair.maxRssBytes / 1e6).toFixed(0)} MB; ${spare >= 0 ? `within the limit by ${(spare / 1e6).toFixed(0)} MB` : `over the limit by ${(-spare / 1e6).toFixed(0)} MB`}`,
      status: spare >= MARGIN ? 'met' : 'not met',
    });
  }
  out.push(...remoteGoals(remote));
  out.push(paperGoal(paper));
  return out;
}

/** The engine rows: scores equal to local, Min-K%++'s cost per position, and the client's share of an audit. */
function remoteGoals(remote: BenchResults['remote']): GoalResult[] {
  if (remote.status !== 'measured') return [{ goal: "engine client's share of an audit's wall time", target: '<= 5%', measured: String(remote.reason ?? 'pending'), status: 'pending' }];
  const s = remote.scoring as Record<string, number>;
  const f = remote.fullVocabulary as Record<string, number>;
  const a = remote.audit as Record<string, number> & { withMinKPlusPlus: Record<string, number> };
  const k = a.withMinKPlusPlus;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return [
    {
      goal: 'engine scoring (loopback vLLM-format server) equals local scoring of the same model',
      target: '<= 1e-4',
      measured: `max |diff| ${s.maxLogprobDifference.toExponential(1)}; ${s.remoteTokPerSec.toFixed(0)} vs ${s.localTokPerSec.toFixed(0)} tok/s local`,
      status: s.maxLogprobDifference <= 1e-4 ? 'met' : 'not met',
    },
    {
      goal: `Min-K%++ through an engine (prompt_logprobs -1, vocab ${f.vocab}): exact, its cost per position`,
      target: 'exact (<= 1e-4)',
      measured: `max |diff| of mean/std ${f.maxMomentDifference.toExponential(1)}; ${f.megabytesPerPosition.toFixed(2)} MB of JSON and ${f.msPerPosition.toFixed(0)} ms per position (client ${f.clientMsPerPosition.toFixed(0)} ms)`,
      status: f.maxMomentDifference <= 1e-4 ? 'met' : 'not met',
    },
    {
      goal: `engine client cost (HTTP, JSON, tokenisation) <= 5% of an audit's wall time (${a.samples} samples x 100 neighbours, both models served, default engine settings)`,
      target: '<= 5%',
      measured:
        `${pct(a.clientShare)} (${(a.clientMs / 1000).toFixed(2)} s of ${(a.wallMs / 1000).toFixed(1)} s, ${a.requests} requests; contam busy ${pct(a.busyMs / a.wallMs)}); ` +
        `${(remote.clientUsPerAuditToken as number).toFixed(1)} µs per token (${s.clientUsPerToken.toFixed(1)} when only scoring), ${pct(remote.projectedClientShare as number)} beside a ${remote.engineTokPerSec} tok/s engine; ` +
        `with Min-K%++: ${pct(k.clientShare)} (${k.megabytes.toFixed(0)} MB for ${k.samples} samples)`,
      status: a.clientShare <= 0.05 ? 'met' : 'not met',
    },
  ];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const wants = (part: (typeof PARTS)[number]) => !args.only || args.only.has(part);
  const unknown = [...(args.only ?? [])].filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length) throw new Error(`--only ${unknown.join(',')}: expected some of ${PARTS.join(',')}`);
  const previous: Partial<BenchResults> = args.only && existsSync(args.out) ? (JSON.parse(readFileSync(args.out, 'utf8')) as BenchResults) : {};
  const kept = (why: string) => ({ status: 'pending' as const, reason: why });
  const specs = args.quick ? [GPT2_MINI] : [GPT2_SMALL, GPT2_MINI];
  const prepared: BenchModel[] = [];
  for (const spec of specs) prepared.push(await prepareModel(args.cache, spec, log));
  const { source, texts } = await benchTexts(args.quick ? 12 : 20);
  log(`texts: ${source}`);
  let models: ModelResult[] = previous.models ? [...previous.models] : [];
  let prefixTokens = previous.sampling?.prefixTokens ?? 0;
  let tokens = previous.texts?.tokens ?? 0;
  if (wants('models')) {
    models = [];
    for (const [i, bm] of prepared.entries()) {
      // The smaller model is a second data point: fewer scoring rounds. Its sampling keeps two rounds:
      // goal 5's row is this model's, and one round's own time per decode step read 1,818 µs in one
      // run and 2,871 in the next on the same code (7.4% in a two-round rerun minutes later).
      const a = i === 0 ? args : { ...args, rounds: Math.min(args.rounds, 2), samplingRounds: Math.min(args.samplingRounds, 2), quick: true };
      const r = await benchModel(bm, a, texts);
      models.push(r.result);
      prefixTokens = r.prefixTokens;
      tokens = r.tokens;
    }
  }
  const primary = prepared[0];
  const small = prepared[prepared.length - 1];
  const part = async (name: (typeof PARTS)[number], have: BenchResults[keyof BenchResults] | undefined, run: () => Promise<BenchResults['remote']>) => {
    if (!args.audit) return kept('skipped (--no-audit)');
    if (!wants(name)) return (have as BenchResults['remote'] | undefined) ?? kept(`not measured (--only ${[...(args.only ?? [])].join(',')})`);
    return run();
  };
  const earlyStopping = await part('early', previous.earlyStopping, () => measureEarlyStopping({ cacheDir: args.cache, quick: args.quick, log }));
  const peakMemory = await part('memory', previous.peakMemory, () => measurePeakMemory({ model: primary, reference: small, quick: args.quick, log }));
  const remote = await part('remote', previous.remote, () => measureRemote({ model: small, texts: texts.slice(0, args.quick ? 8 : 20), cacheDir: args.cache, quick: args.quick, log }));
  const paperWorkload = await part('paper', previous.paperWorkload, () =>
    measurePaperWorkload({ target: primary, reference: small, samples: args.paperSamples, neighbours: 100, peerRates: peerRates(models), log }),
  );
  const overlap = args.overlap ? await part('overlap', previous.overlap, () => measureOverlap({ quick: args.quick, log })) : kept('skipped (--no-overlap)');
  const results: BenchResults = {
    schemaVersion: 1,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    ...(args.only ? { measuredParts: [...args.only] } : {}),
    quick: args.quick,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      memoryGiB: totalmem() / 2 ** 30,
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      onnxruntimeNode: packageVersionOf('onnxruntime-node'),
      transformersJs: packageVersion(),
    },
    method:
      'one warm-up, then interleaved rounds (each: a 20-run MatMul ceiling probe, every configuration once in rotating order, another probe); ' +
      'fraction of ceiling = a run\'s useful GFLOP/s over the mean of its round\'s probes; FLOPs per position = 2 x non-embedding params + 2 x width x vocab + 4 x layers x keys x width, ' +
      'counted on real tokens only (keys = the text\'s own length; padding and a text\'s last position, which predicts nothing, earn nothing); ratios are per round, then the median.',
    texts: { source, count: texts.length, tokens },
    sampling: { prefixTokens, n: 100, maxNewTokens: 40, topK: 50, temperature: 1 },
    models,
    earlyStopping,
    peakMemory,
    remote,
    paperWorkload,
    overlap,
    goals: [...goals(models[0], args.quick, earlyStopping, peakMemory, remote, paperWorkload), ...overheadGoals(models), ...overlapGoals(overlap)],
    notes: [
      'transformers.js 4.3.2 ignores num_return_sequences: generate returns one row (see its row in the sampling table); the fair comparison is the prefix tiled to a batch of 100.',
      'transformers.js loads the fixture\'s external data (model.onnx.data) without use_external_data_format: in Node it passes the model path to onnxruntime, which resolves the location stored in the graph; use_external_data_format: true would look for onnx/model.onnx_data instead and fail.',
      'Both runtimes sample with min_new_tokens = max_new_tokens so every row does the same work (40 new tokens).',
      `Engine rows: the tests' vLLM-format loopback server (test/helpers/vllm-server.ts) runs in a child process on this machine's CPU, a forward pass per request and per sampled token (no KV cache), so it is far slower than a GPU engine; the client's share is read from this process's CPU time. The projected share puts the client's measured time per scored token beside ${ENGINE_PREFILL_TOK_S} tok/s of engine prefill (README: SOLAR 10.7B on one H100, an estimate from published figures).`,
      '"in session.run" is the share of wall time inside onnxruntime-node\'s run() (kernels plus copying outputs into JS); the rest is JS (feeds, KV row selection, sampling, log-softmax).',
    ],
  };
  writeResults(args.out, results);
  // The Markdown beside the JSON (results.json -> results.md): the table the README quotes.
  writeFileSync(args.out.replace(/\.json$/, '') + '.md', `${markdownReport(results)}\n`);
  process.stdout.write(`${markdownReport(results)}\n`);
  log(`wrote ${args.out}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
