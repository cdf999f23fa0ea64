/**
 * The audit's data: its resolved configuration, the per-sample records that go into samples.jsonl,
 * the per-benchmark results that go into results.json, and the progress events the UI and the
 * plain logger consume. Everything here is plain JSON-serialisable data.
 */

import type { Timing } from './meter.js';
import type { BackendInfo, Traffic } from '../models/backend.js';
import type { ModelSpec } from '../models/registry.js';
import type { Margins, Thresholds, Verdict, VerdictBasis } from '../stats/verdict.js';
import type { BlindBaseline } from '../stats/blind-baseline.js';
import type { Sensitivity } from '../stats/sensitivity.js';
import type { Interval } from '../stats/bootstrap.js';
import type { Mode } from '../neighbours/plan.js';
import type { SamplingMethod } from '../benchmarks/sampling.js';

export type { Margins, Thresholds, Verdict, VerdictBasis } from '../stats/verdict.js';
export type { Mode } from '../neighbours/plan.js';
export type FailOn = 'contaminated' | 'suspicious' | 'never';
export type { SamplingMethod } from '../benchmarks/sampling.js';

// The config types are derived from the one schema that also validates the file and flags.
export type { AuditConfig, BenchmarkSpec } from './config-schema.js';
import type { AuditConfig } from './config-schema.js';

/** What a dry run plans from: an audit's settings, the models only where given (a plan needs none). */
export type PlanConfig = Omit<AuditConfig, 'target' | 'reference'> & { readonly target?: ModelSpec; readonly reference?: ModelSpec };

export interface LowToken {
  readonly text: string;
  /** Position in the token sequence. */
  readonly position: number;
  readonly logprob: number;
}

export interface NeighbourRecord {
  readonly text: string;
  /** Target's scores, keyed by detector key. */
  readonly scores: Readonly<Record<string, number>>;
}

/** One line of samples.jsonl. */
export interface SampleRecord {
  readonly id: string;
  readonly benchmark: string;
  readonly rowIndex: number;
  readonly textHash: string;
  readonly text: string;
  readonly label?: 'member' | 'non-member';
  /** Target's per-sample scores, keyed by detector key (higher = more member-like). */
  readonly scores: Readonly<Record<string, number>>;
  /** The same detectors with the reference model in the target's seat (the control). */
  readonly controlScores: Readonly<Record<string, number>>;
  /**
   * Neighbour rank s per detector key, target and control: exact when every neighbour was scored
   * (ranksExact), else the lower bound reached when early stopping decided the flag.
   */
  readonly ranks: Readonly<Record<string, number>>;
  readonly controlRanks: Readonly<Record<string, number>>;
  /** s < cut per detector key. */
  readonly flags: Readonly<Record<string, boolean>>;
  readonly controlFlags: Readonly<Record<string, boolean>>;
  readonly ranksExact: boolean;
  readonly neighboursScored: number;
  readonly neighboursTotal: number;
  /** Target's lowest-probability tokens (the Min-K% set), in text order. */
  readonly lowestTokens: readonly LowToken[];
  /** A few neighbours with their scores, for the drill-down. */
  readonly neighbourExamples: readonly NeighbourRecord[];
  /** Every token of the text under the target, for highlighting. */
  readonly tokens: readonly { readonly text: string; readonly logprob: number | null }[];
  readonly ppl: number;
}

export type { Interval } from '../stats/bootstrap.js';

export interface DetectorResult {
  /** Detector key as configured, e.g. "min-k:k=0.2". */
  readonly detector: string;
  readonly contamination: number;
  readonly interval: Interval;
  /** Expected contamination % if original and neighbours were exchangeable. */
  readonly nullRate: number;
  /** One-sided binomial test of contamination against nullRate. */
  readonly pValue: number;
  readonly control: { readonly contamination: number; readonly interval: Interval };
  /** Target % minus control %, with a paired bootstrap 95% interval. */
  readonly difference: { readonly value: number; readonly low: number; readonly high: number };
  /** McNemar's exact one-sided test on the items flagged for one side only (target-only vs control-only). */
  readonly mcnemar: { readonly targetOnly: number; readonly controlOnly: number; readonly pValue: number };
  /** Decided by stats/verdict.ts: relative to the control in fixed mode, absolute in compat mode. */
  readonly verdict: Verdict;
  /** The upstream reading (share against the thresholds), whatever the mode. */
  readonly absoluteVerdict: Verdict;
  readonly verdictBasis: VerdictBasis;
  readonly verdictReason: string;
  readonly samples: number;
  /** Labelled evaluation, when samples carry member/non-member labels. */
  readonly labelled?: {
    readonly auroc: number;
    readonly interval: Interval;
    readonly tprAtFpr: Readonly<Record<string, number>>;
    readonly fprAt95Tpr: number;
    readonly members: number;
    readonly nonMembers: number;
  };
}

export interface BenchmarkResult {
  readonly name: string;
  readonly task: string;
  readonly source: string;
  readonly split: string;
  readonly rowsRead: number;
  readonly skipped: number;
  readonly skippedReasons: readonly { readonly reason: string; readonly count: number }[];
  readonly samplesPlanned: number;
  readonly samplesScored: number;
  readonly errors: number;
  readonly errorMessages: readonly string[];
  readonly cacheHits: number;
  readonly neighboursScored: number;
  /** Neighbours not sampled or scored thanks to exact early stopping. */
  readonly neighboursSaved: number;
  readonly durationMs: number;
  readonly detectors: readonly DetectorResult[];
  /** The benchmark's verdict: the primary detector's (the first configured one that produced a result). */
  readonly verdict: BenchmarkVerdict;
  /** What the primary detector can see at this sample size (src/stats/sensitivity.ts); absent without calibration rates for it. */
  readonly sensitivity?: Sensitivity;
  /**
   * When samples carry both labels: what the texts alone, with no model, give for members vs
   * non-members (a cross-validated bag-of-words classifier, and word count), beside the detectors'
   * labelled AUROCs. Its warning, when set, is also in notes.
   */
  readonly blindBaseline?: BlindBaseline;
  /** The data side from `contam audit --overlap overlap.json` (src/audit/data-overlap.ts); absent without --overlap. */
  readonly dataOverlap?: DataOverlap;
  readonly notes: readonly string[];
}

/**
 * The training-data half for one benchmark, copied from a `contam overlap` run: the share of the
 * benchmark's items found in the corpus, out of the items long enough to be checked at all.
 */
export type DataOverlap =
  | { readonly scanned: false; readonly file: string }
  | {
      readonly scanned: true;
      /** The overlap.json as given to --overlap. */
      readonly file: string;
      readonly ngram: number;
      /** The fields whose text was checked, e.g. ["question"]. */
      readonly checked: readonly string[];
      readonly items: number;
      readonly checkable: number;
      readonly found: number;
      /** found / checkable with its Wilson 95% interval. */
      readonly share: number;
      readonly interval: Interval;
      /** checkable / items: how much of the benchmark the scan could see at all. */
      readonly coverage: number;
      /** GPT-4-style substring probes, when the scan ran with --probes. */
      readonly probes?: { readonly perItem: number; readonly found: number; readonly share: number; readonly interval: Interval };
    };

export interface BenchmarkVerdict {
  readonly detector: string;
  readonly verdict: Verdict;
  readonly absoluteVerdict: Verdict;
  readonly basis: VerdictBasis;
  readonly reason: string;
}

/** A model as results.json records it: the backend's info, and its traffic when it is an engine. */
export interface ModelInfo extends BackendInfo {
  /** Name in reports: the spec's `name` (--name), else the folder name, hub id or served model id. */
  readonly name: string;
  readonly traffic?: Traffic;
}

export interface AuditResults {
  /**
   * 3: verdicts relative to the control in fixed mode (per detector: absoluteVerdict, verdictBasis,
   * verdictReason, mcnemar instead of the score Wilcoxon; per benchmark: verdict), config.margins.
   * 2: models are backends (kind, location, details), config has onnx/remote options, notes.
   */
  readonly schemaVersion: 3;
  readonly tool: { readonly name: 'contam'; readonly version: string };
  readonly partial: boolean;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly command: string;
  readonly config: AuditConfig;
  readonly models: { readonly target: ModelInfo; readonly reference: ModelInfo };
  readonly benchmarks: readonly BenchmarkResult[];
  readonly modelCalls: number;
  /** Audit-wide notes, e.g. a default detector a backend could not give. */
  readonly notes: readonly string[];
  /** Where the time went (audit/meter.ts); absent in results written before it was measured. */
  readonly timing?: Timing;
}

/** A running estimate for one benchmark and detector. */
export interface Estimate {
  readonly detector: string;
  readonly contamination: number;
  readonly interval: Interval;
  readonly control: number;
  /** Target - control over the paired samples, with a closed-form interval while running. */
  readonly difference: { readonly value: number; readonly low: number; readonly high: number };
  readonly verdict: Verdict;
  readonly absoluteVerdict: Verdict;
}

export type AuditEvent =
  | { readonly type: 'start'; readonly config: AuditConfig; readonly models: AuditResults['models']; readonly plan: readonly { readonly benchmark: string; readonly total: number }[] }
  | { readonly type: 'benchmark-start'; readonly benchmark: string; readonly total: number }
  | { readonly type: 'sample-done'; readonly benchmark: string; readonly sample: SampleRecord; readonly done: number; readonly total: number; readonly cached: boolean; readonly estimates: readonly Estimate[]; readonly neighboursScored: number; readonly neighboursSaved: number }
  | { readonly type: 'sample-error'; readonly benchmark: string; readonly sampleId: string; readonly message: string }
  | { readonly type: 'benchmark-done'; readonly result: BenchmarkResult }
  | { readonly type: 'warning'; readonly message: string }
  | { readonly type: 'traffic'; readonly target?: Traffic; readonly reference?: Traffic }
  | { readonly type: 'done'; readonly results: AuditResults };
