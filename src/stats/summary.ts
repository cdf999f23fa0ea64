/**
 * One benchmark × detector, from per-sample outcomes to the numbers a report prints: contamination
 * share with a Wilson interval, the exchangeable null and a binomial test against it, the control
 * (reference model in the target's seat, same neighbours), their paired difference with McNemar's
 * test on the discordant items, and the verdict (verdict.ts decides).
 */
import { FatalError } from '../errors.js';
import { binomialTailP, exchangeableNullRate } from './binomial.js';
import { pairedBootstrapDifference, type BootstrapOptions, type Difference, type Interval } from './bootstrap.js';
import { discordance, pairFlags } from './paired.js';
import { DEFAULT_MARGINS, DEFAULT_THRESHOLDS, decideVerdict, type Discordance, type Margins, type Thresholds, type VerdictDecision } from './verdict.js';
import { wilson } from './wilson.js';

/** A sample's rank s (flagged when s < cut), its flag alone (early stopping leaves no exact rank), or null/NaN when it errored. */
export type SampleOutcome = number | boolean | null;

export interface BenchmarkInput {
  readonly target: readonly SampleOutcome[];
  /** Same samples in the same order, scored by the reference model on the same neighbours. */
  readonly control?: readonly SampleOutcome[];
  /** Neighbours per sample (M), for the exchangeable null. */
  readonly neighbours: number;
  readonly cut?: number;
  readonly mode?: 'compat' | 'fixed';
  readonly thresholds?: Thresholds;
  readonly margins?: Margins;
  readonly bootstrap?: BootstrapOptions;
}

export interface SideSummary {
  readonly scored: number;
  readonly errors: number;
  readonly flagged: number;
  readonly contamination: number;
  readonly wilson: Interval;
  /** P(X >= flagged) under Binomial(scored, nullRate). */
  readonly pValue: number;
}

export interface BenchmarkSummary extends SideSummary {
  readonly samples: number;
  readonly nullRate: number;
  readonly control: SideSummary | null;
  /** Target share - control share over samples valid on both sides, paired bootstrap 95% CI. */
  readonly difference: Difference | null;
  /** Items flagged for one side only, for McNemar's test. */
  readonly discordance: Discordance | null;
  readonly decision: VerdictDecision;
  readonly cut: number;
  readonly neighbours: number;
}

function flagOf(outcome: SampleOutcome, cut: number): boolean | null {
  if (outcome === null || (typeof outcome === 'number' && Number.isNaN(outcome))) return null;
  return typeof outcome === 'boolean' ? outcome : outcome < cut;
}

function side(outcomes: readonly SampleOutcome[], cut: number, nullRate: number): SideSummary {
  const flags = outcomes.map((o) => flagOf(o, cut)).filter((f): f is boolean => f !== null);
  const flagged = flags.filter(Boolean).length;
  const { estimate, low, high } = wilson(flagged, flags.length);
  return {
    scored: flags.length,
    errors: outcomes.length - flags.length,
    flagged,
    contamination: estimate,
    wilson: { low, high },
    pValue: flags.length ? binomialTailP(flagged, flags.length, nullRate) : NaN,
  };
}

export function summariseBenchmark(input: BenchmarkInput): BenchmarkSummary {
  const cut = input.cut ?? 0.1;
  if (!(cut > 0 && cut <= 1)) throw new FatalError(`rank cut ${cut} is out of range; it must be in (0, 1], e.g. 0.1`);
  const nullRate = exchangeableNullRate(input.neighbours, cut);
  const target = side(input.target, cut, nullRate);
  const { control } = input;
  if (control && control.length !== input.target.length) {
    throw new Error(`summariseBenchmark: ${input.target.length} target outcomes but ${control.length} control outcomes`);
  }
  let difference: Difference | null = null;
  let discordant: Discordance | null = null;
  let controlSide: SideSummary | null = null;
  if (control) {
    const { t, c } = pairFlags(input.target.map((o) => flagOf(o, cut)), control.map((o) => flagOf(o, cut)));
    difference = pairedBootstrapDifference(t, c, input.bootstrap);
    discordant = discordance(t, c);
    controlSide = side(control, cut, nullRate);
  }
  const decision = decideVerdict(
    {
      contamination: target.contamination,
      ...(controlSide && difference && discordant ? { control: { contamination: controlSide.contamination, difference, discordance: discordant } } : {}),
    },
    { mode: input.mode ?? 'fixed', thresholds: input.thresholds ?? DEFAULT_THRESHOLDS, margins: input.margins ?? DEFAULT_MARGINS },
  );
  return {
    samples: input.target.length,
    ...target,
    nullRate,
    control: controlSide,
    difference,
    discordance: discordant,
    decision,
    cut,
    neighbours: input.neighbours,
  };
}
