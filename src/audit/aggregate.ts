/** From a benchmark's sample records to its per-detector results: the statistics issue's numbers. */
import { rocSummary } from '../stats/roc.js';
import { summariseBenchmark, type SampleOutcome } from '../stats/summary.js';
import { wilcoxonSignedRank } from '../stats/wilcoxon.js';
import { wilson } from '../stats/wilson.js';
import { verdictFor } from '../stats/verdict.js';
import type { KeyedDetector } from './detector-set.js';
import type { AuditConfig, DetectorResult, Estimate, SampleRecord } from './types.js';

const outcome = (r: SampleRecord, key: string, control: boolean): SampleOutcome => {
  const ranks = control ? r.controlRanks : r.ranks;
  const flags = control ? r.controlFlags : r.flags;
  if (!(key in flags)) return null;
  // An early-stopped sample has only its flag; an exact rank lets the paired tests use it.
  return r.ranksExact ? ranks[key] : flags[key];
};

export function detectorResults(records: readonly SampleRecord[], detectors: readonly KeyedDetector[], config: AuditConfig): DetectorResult[] {
  return detectors.map(({ key, hasControl }) => {
    const summary = summariseBenchmark({
      target: records.map((r) => outcome(r, key, false)),
      control: hasControl ? records.map((r) => outcome(r, key, true)) : undefined,
      neighbours: config.neighbours,
      cut: config.cut,
      thresholds: config.thresholds,
      bootstrap: { seed: config.seed },
    });
    // Does the target find the originals more member-like than the reference does?
    const paired = hasControl
      ? wilcoxonSignedRank(records.map((r) => r.scores[key]), records.map((r) => r.controlScores[key]), 'greater')
      : undefined;
    const members = records.filter((r) => r.label === 'member').map((r) => r.scores[key]);
    const nonMembers = records.filter((r) => r.label === 'non-member').map((r) => r.scores[key]);
    const roc = members.length && nonMembers.length ? rocSummary(members, nonMembers, { seed: config.seed, resamples: 1000 }) : undefined;
    const nan = { low: NaN, high: NaN };
    return {
      detector: key,
      contamination: summary.contamination,
      interval: summary.wilson,
      nullRate: summary.nullRate,
      pValue: summary.pValue,
      control: summary.control ? { contamination: summary.control.contamination, interval: summary.control.wilson } : { contamination: NaN, interval: nan },
      difference: summary.difference ? { value: summary.difference.value, low: summary.difference.low, high: summary.difference.high } : { value: NaN, ...nan },
      wilcoxon: paired ? { statistic: paired.statistic, pValue: paired.pValue, n: paired.n } : { statistic: NaN, pValue: NaN, n: 0 },
      verdict: summary.verdict,
      samples: summary.scored,
      ...(roc
        ? {
            labelled: {
              auroc: roc.auroc,
              interval: roc.interval,
              tprAtFpr: Object.fromEntries(roc.tprAtFpr.map((p) => [String(p.fpr), p.tpr])),
              fprAt95Tpr: roc.fprAt95Tpr,
              members: roc.members,
              nonMembers: roc.nonMembers,
            },
          }
        : {}),
    };
  });
}

/** Cheap running numbers for the live display (no bootstrap). */
export function runningEstimates(records: readonly SampleRecord[], detectors: readonly KeyedDetector[], config: AuditConfig): Estimate[] {
  return detectors.map(({ key }) => {
    const flags = records.filter((r) => key in r.flags).map((r) => r.flags[key]);
    const control = records.filter((r) => key in r.controlFlags).map((r) => r.controlFlags[key]);
    const w = wilson(flags.filter(Boolean).length, flags.length);
    const share = w.estimate;
    return {
      detector: key,
      contamination: share,
      interval: { low: w.low, high: w.high },
      control: control.length ? control.filter(Boolean).length / control.length : NaN,
      verdict: verdictFor(share, config.thresholds),
    };
  });
}
