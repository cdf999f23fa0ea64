/**
 * The one place a benchmark's verdict is decided. Everything that shows or acts on a verdict (the live
 * UI, the plain log, report.md, results.json, --fail-on) reads what `decideVerdict` returned.
 *
 * Two readings of the same numbers:
 * - **absolute** (upstream, what Table 9 and model cards quote): the target's share against fixed
 *   thresholds. The upstream README: "If the result < 0.1 with a percentage greater than 0.85, it is
 *   highly likely that the dataset has been trained", so a share must be strictly above a threshold.
 *   It is the verdict in `compat` mode, and always shown beside the other.
 * - **relative** (the verdict in `fixed` mode): the target against the control, the reference model
 *   in the target's seat on the same items and neighbours. A benchmark whose null drifts high (a clean
 *   base Llama-2-70B scores 0.89 on GSM8K upstream) moves both sides; memorisation moves only the target.
 *
 * The relative rule, with D = target share - control share over the items scored on both sides, its
 * paired bootstrap 95% interval [low, high], and McNemar's exact one-sided test on the discordant items
 * (flagged for the target only vs for the control only):
 * - **contaminated** when significant (McNemar p < alpha) and low >= margins.contaminated (0.10):
 *   with 95% confidence at least that many more items are flagged for the target than for the control;
 * - **suspicious** when significant and D >= margins.suspicious (0 by default), but the interval does
 *   not clear the contaminated margin: the target flags items the control does not, more than chance;
 * - **clean** otherwise: the target is not distinguishable from the control;
 * - **unknown** when nothing was scored.
 * Under the null the flags of target and control are exchangeable per item, and McNemar's test keeps
 * the false-alarm rate at or below alpha whatever the benchmark's null drifts to; measured rates are
 * in the README (bench/verdict-null.ts). The binomial test against the exchangeable null is reported
 * beside it but does not gate: human text and sampled neighbours are not exchangeable, so a share below
 * that null says nothing about cleanliness (a lightly memorised benchmark sits there). A clean target
 * that simply ranks differently from its reference can still exceed the control; raise
 * margins.suspicious to tolerate a known difference.
 */
import { FatalError } from '../errors.js';
import { pValue as formatP, signed } from '../util/text.js';
import { binomialTailP } from './binomial.js';

export type Verdict = 'clean' | 'suspicious' | 'contaminated' | 'unknown';
export type VerdictBasis = 'absolute' | 'relative';

/** Shares above which the absolute reading says suspicious / contaminated. */
export interface Thresholds {
  readonly suspicious: number;
  readonly contaminated: number;
}

/** How far the target must exceed the control (share points) for the relative reading. */
export interface Margins {
  readonly suspicious: number;
  readonly contaminated: number;
}

/** Upstream README's 0.85 for contaminated; 0.5 marks the half-way band as worth a look. */
export const DEFAULT_THRESHOLDS: Thresholds = { suspicious: 0.5, contaminated: 0.85 };
/**
 * Any significant excess is worth a look (suspicious); 10 points with 95% confidence is what
 * "contaminated" asks for. Both are share points of the benchmark's items.
 */
export const DEFAULT_MARGINS: Margins = { suspicious: 0, contaminated: 0.1 };
/** One-sided significance level of McNemar's test. */
export const VERDICT_ALPHA = 0.05;
/** The SOLAR-10.7B model card's line ("well below 0.9"): a reference line in reports, never a verdict. */
export const SOLAR_CARD_LINE = 0.9;

function checkPair(t: Thresholds | Margins, what: string): void {
  const ok = (v: number): boolean => Number.isFinite(v) && v >= 0 && v <= 1;
  if (!ok(t.suspicious) || !ok(t.contaminated) || t.suspicious > t.contaminated) {
    throw new FatalError(
      `verdict ${what} suspicious=${t.suspicious}, contaminated=${t.contaminated} are invalid; ` +
        'both must be in [0, 1] with suspicious <= contaminated',
    );
  }
}

export function checkThresholds(t: Thresholds): Thresholds {
  checkPair(t, 'thresholds');
  return t;
}

/** The upstream reading: the share against fixed thresholds; 'unknown' when the share is NaN. */
export function absoluteVerdict(contamination: number, thresholds: Thresholds = DEFAULT_THRESHOLDS): Verdict {
  checkThresholds(thresholds);
  if (Number.isNaN(contamination)) return 'unknown';
  if (contamination > thresholds.contaminated) return 'contaminated';
  if (contamination > thresholds.suspicious) return 'suspicious';
  return 'clean';
}

/** Paired flags over the items valid on both sides: b flagged for the target only, c for the control only. */
export interface Discordance {
  readonly targetOnly: number;
  readonly controlOnly: number;
  readonly pairs: number;
}

/** McNemar's exact test, one-sided (the target flags more): P(X >= b), X ~ Binomial(b + c, 1/2). */
export function mcnemarExactP(d: Discordance): number {
  const n = d.targetOnly + d.controlOnly;
  return n === 0 ? 1 : binomialTailP(d.targetOnly, n, 0.5);
}

export interface VerdictEvidence {
  /** The target's share. */
  readonly contamination: number;
  /** Absent when the detector has no control (the `reference` detector). */
  readonly control?: {
    readonly contamination: number;
    readonly difference: { readonly value: number; readonly low: number; readonly high: number };
    readonly discordance: Discordance;
  };
}

export interface VerdictPolicy {
  readonly mode: 'compat' | 'fixed';
  readonly thresholds: Thresholds;
  readonly margins: Margins;
  readonly alpha?: number;
}

export interface VerdictDecision {
  readonly verdict: Verdict;
  readonly basis: VerdictBasis;
  /** The upstream reading, shown beside the verdict whatever the basis. */
  readonly absolute: Verdict;
  /** One line saying why, for reports and the log. */
  readonly reason: string;
  /** McNemar's p, NaN without a control. */
  readonly pValue: number;
}

export function decideVerdict(evidence: VerdictEvidence, policy: VerdictPolicy): VerdictDecision {
  checkThresholds(policy.thresholds);
  checkPair(policy.margins, 'margins');
  const alpha = policy.alpha ?? VERDICT_ALPHA;
  const absolute = absoluteVerdict(evidence.contamination, policy.thresholds);
  const { control } = evidence;
  const pValue = control ? mcnemarExactP(control.discordance) : NaN;
  const decided = (verdict: Verdict, basis: VerdictBasis, reason: string): VerdictDecision => ({ verdict, basis, absolute, reason, pValue });
  if (Number.isNaN(evidence.contamination)) return decided('unknown', policy.mode === 'compat' ? 'absolute' : 'relative', 'no sample was scored');
  if (policy.mode === 'compat') {
    return decided(absolute, 'absolute', `share ${evidence.contamination.toFixed(2)} against thresholds ${policy.thresholds.suspicious} / ${policy.thresholds.contaminated} (upstream reading)`);
  }
  if (!control || control.discordance.pairs === 0) {
    return decided(absolute, 'absolute', 'no control for this detector: the upstream reading of the share against the thresholds');
  }
  const { value, low } = control.difference;
  const { margins } = policy;
  const versus = `target − control ${signed(value)} [${signed(low)}, ${signed(control.difference.high)}], McNemar p ${formatP(pValue)}`;
  if (!(pValue < alpha)) return decided('clean', 'relative', `not distinguishable from the control: ${versus}`);
  if (low >= margins.contaminated) return decided('contaminated', 'relative', `${versus}; the interval clears the ${margins.contaminated.toFixed(2)} margin`);
  if (value > 0 && value >= margins.suspicious) return decided('suspicious', 'relative', `${versus}; significant but small: the interval does not clear ${margins.contaminated.toFixed(2)}`);
  return decided('clean', 'relative', `${versus}; significant but below the ${margins.suspicious.toFixed(2)} margin`);
}
