/**
 * The one seam between the audit and whatever runs a model. `audit/`, `neighbours/` and `detectors/`
 * see this and nothing else: a local ONNX export (models/onnx/) and a served model behind an
 * OpenAI-compatible engine such as vLLM (models/remote/) both implement it, and models/registry.ts
 * picks one from the model spec.
 */
import type { SampleOptions, TokenScores } from './types.js';

export type BackendKind = 'onnx' | 'remote';

/** What a backend can give; a detector's needs are checked against it before any work starts. */
export interface BackendCapabilities {
  /**
   * The mean and standard deviation of log p over the full next-token distribution at every
   * scored position (Min-K%++). Local models always have it; an engine only when it returns every
   * token's log-prob per position.
   */
  readonly distribution: boolean;
  /** When `distribution` is false: the one setting that would provide it, for the refusal's message. */
  readonly distributionHint?: string;
  /**
   * When the distribution costs far more than the log-probs alone (an engine sends every vocabulary
   * entry's log-prob at every position as JSON): why, for the note when a default detector is dropped.
   */
  readonly distributionCost?: string;
  /** Whether one seed gives the same neighbours again: always locally; on an engine, see `samplingNote`. */
  readonly reproducibleSampling: boolean;
  readonly samplingNote: string;
  /** Samples the audit may have in flight at once with this backend (1 for a model on the local CPU). */
  readonly parallelSamples: number;
}

/** Identity and facts for reports and the cache key. */
export interface BackendInfo {
  readonly kind: BackendKind;
  /** Name shown in reports: the folder or hub id, or the served model's id. */
  readonly id: string;
  /** The local folder, or the engine's base URL. */
  readonly location: string;
  /** Changes whenever the numbers could: weights and tokenizer files locally; what the server says of itself remotely. */
  readonly fingerprint: string;
  /** Whether the fingerprint covers the weights (local files) or not (remote: the server's weights are never seen). */
  readonly weightsHashed: boolean;
  readonly contextLength: number;
  /** null when the server does not say. */
  readonly vocabSize: number | null;
  /** Backend-specific facts: layout and dtype of an export; engine version, served model, log-prob cap. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}

export interface ScoreOptions {
  /** Fill TokenScores.mean/std (the full distribution); when false they may hold NaN. */
  readonly distribution: boolean;
}

/** Live request counts of a remote backend, for the dashboard and results.json. */
export interface Traffic {
  readonly inFlight: number;
  readonly requests: number;
  readonly retries: number;
  /** Retries by cause, e.g. {"429": 3, "reset": 1}. */
  readonly retryCauses: Readonly<Record<string, number>>;
  /** Tokens whose log-probs were returned, and tokens sampled. */
  readonly scoredTokens: number;
  readonly sampledTokens: number;
  readonly bytesReceived: number;
  /** Milliseconds spent by contam itself on a request (encoding, parsing, arithmetic), outside the wait. */
  readonly clientMs: number;
}

export interface SamplePrefix {
  readonly ids: readonly number[];
  readonly text: string;
}

export interface ModelBackend {
  info(): BackendInfo;
  readonly capabilities: BackendCapabilities;
  /** One id list per text; special tokens (BOS) added as the model's tokenizer adds them unless told not to. */
  tokenize(texts: readonly string[], options?: { readonly addSpecialTokens?: boolean }): Promise<number[][]>;
  /** Display text of each token. */
  tokenTexts(ids: readonly number[]): Promise<string[]>;
  /** Per-token log-probs of exactly these ids; a per-sequence problem (e.g. -inf) throws ModelOutputError. */
  score(sequences: readonly (readonly number[])[], options: ScoreOptions): Promise<TokenScores[]>;
  /**
   * options.n continuations of the prefix (its ids, and the text they were made from), each returned
   * as the whole neighbour text: the prefix followed by the continuation, special tokens skipped.
   */
  sample(prefix: SamplePrefix, options: SampleOptions): Promise<string[]>;
  traffic?(): Traffic;
  close(): Promise<void>;
}

/** A per-sequence failure of the model's numbers (NaN, -inf, an id outside the vocabulary): counted, not fatal. */
export class ModelOutputError extends Error {}
