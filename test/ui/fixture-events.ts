/**
 * A small audit as events: arc finishes clean, mmlu finishes suspicious, gsm8k runs contaminated
 * (its last sample and the 'done' event come last). One arc sample's text carries terminal escape
 * sequences, as a hostile dataset row would.
 */
import type {
  AuditConfig,
  AuditEvent,
  AuditResults,
  BenchmarkResult,
  Estimate,
  SampleRecord,
  Verdict,
} from '../../src/audit/types.js';

export const ESC = '\u001b';

/** CSI colour + clear screen, OSC 8 hyperlink, OSC 0 title change, BEL, backspace, CR. */
export const HOSTILE_TEXT =
  `Q: ${ESC}[31mred${ESC}[0m ${ESC}[2J` +
  `${ESC}]8;;https://evil.example${ESC}\\link${ESC}]8;;${ESC}\\ ` +
  `${ESC}]0;owned\u0007 bell\u0007 back\u0008space car\rriage\nA: ok`;

export const config: AuditConfig = {
  target: { path: 'acme/target-7b' },
  reference: { path: 'acme/reference-7b' },
  benchmarks: [
    { name: 'arc', task: 'arc', path: 'data/arc' },
    { name: 'mmlu', task: 'mmlu', path: 'data/mmlu' },
    { name: 'gsm8k', task: 'gsm8k', path: 'data/gsm8k' },
  ],
  samples: 4,
  seed: 42,
  sampling: 'seeded',
  detectors: ['loss', 'min-k:k=0.2'],
  neighbours: 10,
  prefixRatio: 0.4,
  cut: 0.1,
  mode: 'fixed',
  earlyStop: true,
  thresholds: { suspicious: 0.2, contaminated: 0.5 },
  margins: { suspicious: 0.05, contaminated: 0.1 },
  failOn: 'contaminated',
  strict: false,
  cache: { enabled: false, dir: '.cache' },
  outputs: [],
  onnx: { batchSize: 4 },
  remote: {},
};

const model = (id: string): AuditResults['models']['target'] => ({
  kind: 'onnx',
  id,
  name: id,
  location: `/models/${id}`,
  fingerprint: `fp-${id}`,
  weightsHashed: true,
  contextLength: 2048,
  vocabSize: 32000,
  details: { layout: 'causal', dtype: 'fp32' },
});
export const models: AuditResults['models'] = { target: model('target'), reference: model('reference') };

/** Rank s and loss score decide the suspicion order; the text makes the sample recognisable. */
export function makeSample(benchmark: string, row: number, s: number, loss: number, text?: string): SampleRecord {
  const words = (text ?? `${benchmark} question ${row} about the answer`).split(' ');
  return {
    id: `${benchmark}/test/${row}`,
    benchmark,
    rowIndex: row,
    textHash: `hash-${benchmark}-${row}`,
    text: text ?? words.join(' '),
    scores: { loss, 'min-k:k=0.2': loss * 2 },
    controlScores: { loss: loss - 1, 'min-k:k=0.2': loss * 2 - 1 },
    ranks: { loss: s, 'min-k:k=0.2': s / 2 },
    controlRanks: { loss: 0.5, 'min-k:k=0.2': 0.4 },
    flags: { loss: s < 0.1, 'min-k:k=0.2': s / 2 < 0.1 },
    controlFlags: { loss: false, 'min-k:k=0.2': false },
    ranksExact: true,
    neighboursScored: 8,
    neighboursTotal: 10,
    lowestTokens: [{ text: words[1], position: 1, logprob: -9.5 }],
    neighbourExamples: [
      { text: `${benchmark} neighbour one of ${row}`, scores: { loss: loss - 0.5, 'min-k:k=0.2': 1 } },
      { text: `${benchmark} neighbour two of ${row}`, scores: { loss: loss - 0.7, 'min-k:k=0.2': 2 } },
    ],
    tokens: words.map((w, i) => ({ text: i === 0 ? w : ` ${w}`, logprob: i === 0 ? null : i === 1 ? -9.5 : -1 })),
    ppl: 12.5,
  };
}

export function estimate(contamination: number, verdict: Verdict, control = 0.1): Estimate[] {
  return [
    {
      detector: 'loss',
      contamination,
      interval: { low: Math.max(0, contamination - 0.1), high: contamination + 0.1 },
      control,
      difference: { value: contamination - control, low: contamination - control - 0.1, high: contamination - control + 0.1 },
      verdict,
      absoluteVerdict: verdict,
    },
    {
      detector: 'min-k:k=0.2',
      contamination: contamination / 2,
      interval: { low: 0, high: contamination },
      control,
      difference: { value: contamination / 2 - control, low: contamination / 2 - control - 0.1, high: contamination / 2 - control + 0.1 },
      verdict: 'clean',
      absoluteVerdict: 'clean',
    },
  ];
}

export function result(name: string, contamination: number, verdict: Verdict, samples: number, errors = 0): BenchmarkResult {
  const interval = { low: Math.max(0, contamination - 0.1), high: contamination + 0.1 };
  const detector = (key: string, c: number, v: Verdict) => ({
    detector: key,
    contamination: c,
    interval,
    nullRate: 0.099,
    pValue: 0.5,
    control: { contamination: 0.1, interval: { low: 0, high: 0.2 } },
    difference: { value: c - 0.1, low: c - 0.2, high: c },
    mcnemar: { targetOnly: 3, controlOnly: 1, pValue: 0.31 },
    verdict: v,
    absoluteVerdict: v,
    verdictBasis: 'relative' as const,
    verdictReason: 'fixture',
    samples,
  });
  return {
    name,
    task: name,
    source: `data/${name}`,
    split: 'test',
    rowsRead: samples,
    skipped: 0,
    skippedReasons: [],
    samplesPlanned: samples,
    samplesScored: samples - errors,
    errors,
    errorMessages: [],
    cacheHits: 0,
    neighboursScored: samples * 8,
    neighboursSaved: samples * 2,
    durationMs: 4000,
    detectors: [detector('loss', contamination, verdict), detector('min-k:k=0.2', contamination / 2, 'clean')],
    verdict: { detector: 'loss', verdict, absoluteVerdict: verdict, basis: 'relative', reason: 'fixture' },
    notes: [],
  };
}

function sampleDone(benchmark: string, sample: SampleRecord, done: number, total: number, est: Estimate[]): AuditEvent {
  return { type: 'sample-done', benchmark, sample, done, total, cached: false, estimates: est, neighboursScored: done * 8, neighboursSaved: done * 2 };
}

const arc = [
  makeSample('arc', 0, 0.5, -2.0),
  makeSample('arc', 1, 0.05, -1.5, HOSTILE_TEXT),
  makeSample('arc', 2, 0.3, -1.0),
  makeSample('arc', 3, 0.05, -1.2),
];
const mmlu = [makeSample('mmlu', 0, 0.2, -2.2), makeSample('mmlu', 1, 0.0, -1.1)];
const gsm8k = [makeSample('gsm8k', 0, 0.0, -0.5), makeSample('gsm8k', 1, 0.02, -0.4), makeSample('gsm8k', 2, 0.01, -0.3)];

/** Everything up to gsm8k's second sample: the audit is still running. */
export const runningEvents: readonly AuditEvent[] = [
  { type: 'start', config, models, plan: [{ benchmark: 'arc', total: 4 }, { benchmark: 'mmlu', total: 3 }, { benchmark: 'gsm8k', total: 3 }] },
  { type: 'benchmark-start', benchmark: 'arc', total: 4 },
  ...arc.map((s, i) => sampleDone('arc', s, i + 1, 4, estimate(0.1 + i * 0.01, 'clean'))),
  { type: 'benchmark-done', result: result('arc', 0.08, 'clean', 4) },
  { type: 'benchmark-start', benchmark: 'mmlu', total: 3 },
  ...mmlu.map((s, i) => sampleDone('mmlu', s, i + 1, 3, estimate(0.3, 'suspicious'))),
  { type: 'sample-error', benchmark: 'mmlu', sampleId: 'mmlu/test/2', message: `context too long${ESC}[2J` },
  { type: 'benchmark-done', result: result('mmlu', 0.33, 'suspicious', 3, 1) },
  { type: 'warning', message: `tokenizer has no pad token${ESC}]0;title\u0007` },
  { type: 'benchmark-start', benchmark: 'gsm8k', total: 3 },
  ...gsm8k.slice(0, 2).map((s, i) => sampleDone('gsm8k', s, i + 1, 3, estimate(0.65, 'contaminated'))),
];

export const finalResults: AuditResults = {
  schemaVersion: 2,
  tool: { name: 'contam', version: '0.1.0' },
  partial: false,
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: '2025-01-01T00:00:12.000Z',
  durationMs: 12_000,
  command: 'contam audit',
  config,
  models,
  benchmarks: [result('arc', 0.08, 'clean', 4), result('mmlu', 0.33, 'suspicious', 3, 1), result('gsm8k', 0.67, 'contaminated', 3)],
  notes: [],
  modelCalls: 100,
};

/** The rest of the run: gsm8k's last sample, its result, and the end. */
export const finishingEvents: readonly AuditEvent[] = [
  sampleDone('gsm8k', gsm8k[2], 3, 3, estimate(0.67, 'contaminated')),
  { type: 'benchmark-done', result: result('gsm8k', 0.67, 'contaminated', 3) },
  { type: 'done', results: finalResults },
];

export const allEvents: readonly AuditEvent[] = [...runningEvents, ...finishingEvents];
