/**
 * A realistic finished audit: SOLAR-like target against a smaller reference, three benchmarks, two
 * detectors, one custom benchmark whose name carries hostile text (pipes, backticks, HTML, a newline
 * and an ANSI colour code) the way a user's config or dataset could, and a labelled evaluation whose
 * blind baseline warns.
 */
import type { AuditResults, BenchmarkResult, DetectorResult, SampleRecord, Verdict } from '../../src/audit/types.js';

export const blindWarning =
  "a model-free bag-of-words classifier separates members from non-members with AUROC 0.93 (word count alone: 0.19): the labelled AUROCs measure the split's distribution shift as much as the detectors";

export const hostileName = 'my|bench `x` <script>alert(1)</script>\nline2 \u001b[31mred\u001b[0m';

function detector(key: string, contamination: number, control: number, verdict: Verdict, extra: Partial<DetectorResult> = {}): DetectorResult {
  const half = Math.min(0.1, Math.sqrt((contamination * (1 - contamination)) / 100) * 1.96 + 0.01);
  return {
    detector: key,
    contamination,
    interval: { low: Math.max(0, contamination - half), high: Math.min(1, contamination + half) },
    nullRate: 10 / 101,
    pValue: contamination > 0.2 ? 1.2e-9 : 0.41,
    control: { contamination: control, interval: { low: Math.max(0, control - 0.06), high: Math.min(1, control + 0.08) } },
    difference: { value: contamination - control, low: contamination - control - 0.09, high: contamination - control + 0.09 },
    mcnemar: { targetOnly: Math.round((contamination - control) * 100) + 2, controlOnly: 2, pValue: contamination - control > 0.05 ? 0.0031 : 0.41 },
    verdict,
    absoluteVerdict: contamination > 0.85 ? 'contaminated' : contamination > 0.5 ? 'suspicious' : 'clean',
    verdictBasis: 'relative',
    verdictReason: `target − control ${(contamination - control).toFixed(2)}`,
    samples: 100,
    ...extra,
  };
}

function benchmark(name: string, task: string, detectors: DetectorResult[], extra: Partial<BenchmarkResult> = {}): BenchmarkResult {
  return {
    name,
    task,
    source: `/data/${task}/test-00000-of-00001.parquet`,
    split: 'test',
    rowsRead: 1172,
    skipped: 3,
    skippedReasons: [{ reason: 'answerKey not in A-D', count: 3 }],
    samplesPlanned: 100,
    samplesScored: 100,
    errors: 0,
    errorMessages: [],
    cacheHits: 12,
    neighboursScored: 8_410,
    neighboursSaved: 1_590,
    durationMs: 754_000,
    detectors,
    verdict: {
      detector: detectors[0]?.detector ?? '',
      verdict: detectors[0]?.verdict ?? 'unknown',
      absoluteVerdict: detectors[0]?.absoluteVerdict ?? 'unknown',
      basis: 'relative',
      reason: detectors[0]?.verdictReason ?? 'no detector produced a result',
    },
    notes: [],
    ...extra,
  };
}

export const fixtureResults: AuditResults = {
  schemaVersion: 3,
  tool: { name: 'contam', version: '0.1.0' },
  partial: false,
  startedAt: '2025-01-31T09:15:02.000Z',
  finishedAt: '2025-01-31T10:02:44.000Z',
  durationMs: 2_862_000,
  command: 'contam audit --target ./models/solar --reference ./models/llama-7b --benchmarks arc,gsm8k --detectors loss,min-k:k=0.2',
  config: {
    target: { path: './models/solar' },
    reference: { path: './models/llama-7b' },
    benchmarks: [
      { name: 'arc', task: 'arc', path: '/data/arc', split: 'test' },
      { name: 'gsm8k', task: 'gsm8k', path: '/data/gsm8k', split: 'test' },
      { name: hostileName, task: 'custom', path: '/data/custom.jsonl', options: { template: '{q} {a}' } },
    ],
    samples: 100,
    seed: 0,
    sampling: 'seeded',
    detectors: ['loss', 'min-k:k=0.2'],
    neighbours: 100,
    prefixRatio: 0.4,
    cut: 0.1,
    mode: 'fixed',
    earlyStop: true,
    thresholds: { suspicious: 0.5, contaminated: 0.85 },
    margins: { suspicious: 0, contaminated: 0.1 },
    failOn: 'contaminated',
    strict: false,
    cache: { enabled: true, dir: '/root/.cache/contam' },
    outputs: [],
    onnx: { dtype: 'q8', batchSize: 8 },
    remote: {},
  },
  models: {
    target: {
      kind: 'onnx',
      id: 'upstage/SOLAR-10.7B-Instruct-v1.0',
      name: 'upstage/SOLAR-10.7B-Instruct-v1.0',
      location: '/models/solar',
      fingerprint: 'sha256:9f2c1a',
      weightsHashed: true,
      contextLength: 4096,
      vocabSize: 32000,
      details: { layout: 'decoder-kv', dtype: 'q8' },
    },
    reference: {
      kind: 'onnx',
      id: 'huggyllama/llama-7b',
      name: 'huggyllama/llama-7b',
      location: '/models/llama-7b',
      fingerprint: 'sha256:04be77',
      weightsHashed: true,
      contextLength: 2048,
      vocabSize: 32000,
      details: { layout: 'decoder-kv', dtype: 'q8' },
    },
  },
  benchmarks: [
    benchmark('arc', 'arc', [detector('loss', 0.06, 0.09, 'clean'), detector('min-k:k=0.2', 0.08, 0.1, 'clean')]),
    benchmark('gsm8k', 'gsm8k', [detector('loss', 0.92, 0.7, 'contaminated'), detector('min-k:k=0.2', 0.61, 0.55, 'suspicious')], {
      errors: 2,
      samplesScored: 98,
      errorMessages: ['sample gsm8k/test/17: text | longer than `context` <b>', 'sample gsm8k/test/44: ORT run failed'],
      notes: ['neighbours truncated to 150 tokens in compat mode'],
    }),
    benchmark(hostileName, 'custom', [
      detector('loss', 0.3, 0.12, 'suspicious', {
        labelled: { auroc: 0.71, interval: { low: 0.62, high: 0.79 }, tprAtFpr: { '0.01': 0.05, '0.05': 0.18 }, fprAt95Tpr: 0.74, members: 50, nonMembers: 50 },
      }),
      detector('min-k:k=0.2', 0.33, 0.11, 'suspicious'),
    ], {
      source: '/data/custom.jsonl',
      split: 'train',
      skippedReasons: [{ reason: 'empty text |`<i>`', count: 3 }],
      blindBaseline: {
        auroc: 0.93,
        interval: { low: 0.88, high: 0.97 },
        lengthAuroc: 0.19,
        lengthInterval: { low: 0.11, high: 0.28 },
        members: 50,
        nonMembers: 50,
        folds: 5,
        method: '5-fold stratified cross-validation (seed 0) of an L2 logistic regression on lowercased word unigrams and bigrams',
        warning: blindWarning,
      },
      notes: [blindWarning],
    }),
  ],
  modelCalls: 61_402,
  notes: [],
};

/** Deterministic per-sample records whose ranks lean low for the target (member-like) and stay uniform for the control. */
export function fixtureSamples(results: AuditResults = fixtureResults, perBenchmark = 40): SampleRecord[] {
  let state = 12345;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const samples: SampleRecord[] = [];
  for (const bench of results.benchmarks) {
    for (let i = 0; i < perBenchmark; i++) {
      const ranks: Record<string, number> = {};
      const controlRanks: Record<string, number> = {};
      for (const d of bench.detectors) {
        ranks[d.detector] = Math.round(next() ** 2 * 100) / 100;
        controlRanks[d.detector] = Math.round(next() * 100) / 100;
      }
      const flags = Object.fromEntries(Object.entries(ranks).map(([k, v]) => [k, v < 0.1]));
      const controlFlags = Object.fromEntries(Object.entries(controlRanks).map(([k, v]) => [k, v < 0.1]));
      samples.push({
        id: `${bench.name}/${bench.split}/${i}`,
        benchmark: bench.name,
        rowIndex: i,
        textHash: `sha256:${i.toString(16).padStart(8, '0')}`,
        text: `Question ${i}: which | is <b>bold</b>? Answer: \`${i}\`\nnext line`,
        scores: { loss: -1.5 - next() },
        controlScores: { loss: -2 - next() },
        ranks,
        controlRanks,
        flags,
        controlFlags,
        neighboursScored: 100,
        neighboursTotal: 100,
        lowestTokens: [{ text: '▁bold', position: 4, logprob: -9.1 }],
        neighbourExamples: [{ text: 'Question: which is bold? It is', scores: { loss: -2.2 } }],
        tokens: [{ text: '<s>', logprob: null }, { text: '▁Question', logprob: -3.2 }],
        ppl: 7.4,
      });
    }
  }
  return samples;
}
