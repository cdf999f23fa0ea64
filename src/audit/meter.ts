/**
 * Where an audit's time goes: each model call's wall time, by seat and kind, and the audit's own
 * work (statistics, loading benchmarks, the result cache). Side by side, the two models' phases
 * overlap, so the phases add up to more than the wall time; their sum over the wall time says how
 * busy the machine was kept. Calls are also counted, so a rerun served from the cache can prove it
 * made none, and so is the work they did (tokens scored, texts sampled): the same audit can cost
 * three times as much with other models, whose neighbours run longer or stop early less often, and
 * only the work says whether a slower run was slower code or more of it.
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
  /** What the model calls did; absent in results written before it was counted. */
  readonly work?: Work;
}

export interface Work {
  /** Tokens of the sequences scored under the target (texts and neighbours), and under the reference (the control). */
  readonly targetTokensScored: number;
  readonly referenceTokensScored: number;
  /** Neighbour texts the reference sampled. */
  readonly textsSampled: number;
}

export class Meter {
  calls = 0;
  private readonly work = { targetTokensScored: 0, referenceTokensScored: 0, textsSampled: 0 };
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
    const scored = seat === 'target' ? 'targetTokensScored' : 'referenceTokensScored';
    return {
      ...model,
      score: async (ids, o) => {
        this.calls++;
        const scores = await this.timeAsync(scoring, () => model.score(ids, o));
        this.work[scored] += ids.reduce((sum, seq) => sum + seq.length, 0);
        return scores;
      },
      sample: async (prefix, o) => {
        this.calls++;
        const texts = await this.timeAsync('referenceSampling', () => model.sample(prefix, o));
        this.work.textsSampled += texts.length;
        return texts;
      },
    };
  }

  timing(wallMs: number, sideBySide: boolean): Timing {
    const phasesMs = Object.fromEntries(PHASES.map((p) => [p, Math.round(this.ms[p])])) as Record<Phase, number>;
    return { wallMs: Math.round(wallMs), phasesMs, sideBySide, work: { ...this.work } };
  }
}
