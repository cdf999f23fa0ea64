/**
 * Where an audit's time goes: each model call's wall time, by seat and kind, and the audit's own
 * work (statistics, loading benchmarks, the result cache). Side by side, the two models' phases
 * overlap, so the phases add up to more than the wall time; their sum over the wall time says how
 * busy the machine was kept. Calls are also counted, so a rerun served from the cache can prove it
 * made none.
 */
import type { ModelBackend } from '../models/backend.js';

export const PHASES = ['referenceSampling', 'targetScoring', 'referenceScoring', 'statistics', 'loading', 'cache'] as const;
export type Phase = (typeof PHASES)[number];

export interface Timing {
  /** The audit's wall time, from the first benchmark read to the last result. */
  readonly wallMs: number;
  /** Milliseconds spent per phase (model phases: while a call of that kind was running). */
  readonly phasesMs: Readonly<Record<Phase, number>>;
  /** The two models' calls went out together (audit/seats.ts). */
  readonly sideBySide: boolean;
}

export class Meter {
  calls = 0;
  private readonly ms: Record<Phase, number> = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;

  /** A synchronous step (statistics, cache lookups) timed into a phase. */
  time<T>(phase: Phase, step: () => T): T {
    const start = performance.now();
    try {
      return step();
    } finally {
      this.ms[phase] += performance.now() - start;
    }
  }

  async timeAsync<T>(phase: Phase, step: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await step();
    } finally {
      this.ms[phase] += performance.now() - start;
    }
  }

  /** The model with its score and sample calls counted and timed (a target's samples count nowhere: it never samples). */
  wrap(model: ModelBackend, seat: 'target' | 'reference'): ModelBackend {
    const scoring: Phase = seat === 'target' ? 'targetScoring' : 'referenceScoring';
    return {
      ...model,
      score: (ids, o) => (this.calls++, this.timeAsync(scoring, () => model.score(ids, o))),
      sample: (prefix, o) => (this.calls++, this.timeAsync('referenceSampling', () => model.sample(prefix, o))),
    };
  }

  timing(wallMs: number, sideBySide: boolean): Timing {
    const phasesMs = Object.fromEntries(PHASES.map((p) => [p, Math.round(this.ms[p])])) as Record<Phase, number>;
    return { wallMs: Math.round(wallMs), phasesMs, sideBySide };
  }
}
