/** From a benchmark's sample records to its per-detector results: the statistics issue's numbers. */
import { discordance, newcombePaired, pairFlags } from '../stats/paired.js';
import { blindBaseline, type BlindBaseline } from '../stats/blind-baseline.js';
import { rocSummary } from '../stats/roc.js';
import { summariseBenchmark, type SampleOutcome } from '../stats/summary.js';
import { decideVerdict } from '../stats/verdict.js';
import { wilson } from '../stats/wilson.js';
import type { KeyedDetector } from './detector-set.js';
import type { AuditConfig, BenchmarkVerdict, DetectorResult, Estimate, SampleRecord } from './types.js';

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
      mode: config.mode,
      thresholds: config.thresholds,
      margins: config.margins,
      bootstrap: { seed: config.seed },
    });
    const { decision } = summary;
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
      mcnemar: summary.discordance
        ? { targetOnly: summary.discordance.targetOnly, controlOnly: summary.discordance.controlOnly, pValue: decision.pValue }
        : { targetOnly: 0, controlOnly: 0, pValue: NaN },
      verdict: decision.verdict,
      absoluteVerdict: decision.absolute,
      verdictBasis: decision.basis,
      verdictReason: decision.reason,
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

/** The primary detector: the first configured one with a result (a backend may have dropped a default one). */
function primaryOf(detectors: readonly string[], results: readonly { readonly detector: string }[]): string | undefined {
  return detectors.find((d) => results.some((r) => r.detector === d)) ?? results[0]?.detector;
}

/** The benchmark's one verdict, from its primary detector; 'unknown' when no detector produced one. */
export function benchmarkVerdict(results: readonly DetectorResult[], config: AuditConfig): BenchmarkVerdict {
  const key = primaryOf(config.detectors, results);
  const d = results.find((r) => r.detector === key);
  if (!d) return { detector: key ?? '', verdict: 'unknown', absoluteVerdict: 'unknown', basis: config.mode === 'compat' ? 'absolute' : 'relative', reason: 'no detector produced a result' };
  return { detector: d.detector, verdict: d.verdict, absoluteVerdict: d.absoluteVerdict, basis: d.verdictBasis, reason: d.verdictReason };
}

/**
 * Running numbers for the live display, decided by the same rule as the final ones; the difference's
 * interval is Newcombe's closed form instead of the bootstrap, so it is cheap after every sample.
 */
export function runningEstimates(records: readonly SampleRecord[], detectors: readonly KeyedDetector[], config: AuditConfig): Estimate[] {
  return detectors.map(({ key, hasControl }) => {
    const target = records.map((r) => (key in r.flags ? r.flags[key] : null));
    const scored = target.filter((f): f is boolean => f !== null);
    const flagged = scored.filter(Boolean).length;
    const w = wilson(flagged, scored.length);
    const controlFlags = records.map((r) => (key in r.controlFlags ? r.controlFlags[key] : null));
    const { t, c } = pairFlags(target, controlFlags);
    const difference = newcombePaired(t, c);
    const controlShare = c.length ? c.filter(Boolean).length / c.length : NaN;
    const decision = decideVerdict(
      {
        contamination: w.estimate,
        ...(hasControl && c.length ? { control: { contamination: controlShare, difference, discordance: discordance(t, c) } } : {}),
      },
      { mode: config.mode, thresholds: config.thresholds, margins: config.margins },
    );
    return {
      detector: key,
      contamination: w.estimate,
      interval: { low: w.low, high: w.high },
      control: controlShare,
      difference,
      verdict: decision.verdict,
      absoluteVerdict: decision.absolute,
    };
  });
}

/** The blind baseline over the labelled records (per benchmark: it needs the texts, not a detector). */
export function labelledBaseline(records: readonly SampleRecord[], config: AuditConfig): BlindBaseline | undefined {
  const items = records.flatMap((r) => (r.label ? [{ text: r.text, member: r.label === 'member' }] : []));
  return blindBaseline(items, { seed: config.seed, resamples: 1000 });
}
