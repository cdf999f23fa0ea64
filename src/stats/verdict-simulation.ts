/**
 * What the verdict rule does on benchmarks whose truth we set: per item a control flag, a target
 * flag, and whether the target memorised the item. Used for the false-alarm table under the null
 * (bench/verdict-null.ts), and for the sentence every report states about its own sample size: the
 * smallest share of memorised items the rule tells apart from clean (`minimumDetectableShare`).
 */
import { seededRandom } from '../util/random.js';
import { pairedBootstrapDifference } from './bootstrap.js';
import { discordance, newcombePaired } from './paired.js';
import { decideVerdict, type Margins, type Thresholds, type Verdict } from './verdict.js';

export interface SimulatedBenchmark {
  /** Items scored. */
  readonly n: number;
  readonly neighbours: number;
  readonly cut: number;
  /** P(control flags an item). */
  readonly controlRate: number;
  /** P(target flags an item it did not memorise), when it does not simply agree with the control. */
  readonly targetRate: number;
  /** P(the target's flag on an unmemorised item is the control's flag): how alike the two models rank. */
  readonly agreement: number;
  /** Share of items memorised, and P(a memorised item is flagged) when the control did not flag it. */
  readonly memorised: number;
  readonly flagRate: number;
}

export interface SimulationOptions {
  readonly reps: number;
  readonly seed: number;
  readonly margins: Margins;
  readonly thresholds: Thresholds;
  /** 'bootstrap' runs the paired bootstrap as reports do (slow); 'newcombe' its closed form. */
  readonly interval: 'bootstrap' | 'newcombe';
  readonly bootstrapResamples?: number;
}

export type VerdictCounts = Record<Exclude<Verdict, 'unknown'>, number>;

export function simulateVerdicts(b: SimulatedBenchmark, o: SimulationOptions): VerdictCounts {
  const random = seededRandom(o.seed);
  const counts: VerdictCounts = { clean: 0, suspicious: 0, contaminated: 0 };
  const t: boolean[] = new Array(b.n);
  const c: boolean[] = new Array(b.n);
  for (let rep = 0; rep < o.reps; rep++) {
    let flagged = 0;
    let controlFlagged = 0;
    for (let i = 0; i < b.n; i++) {
      c[i] = random() < b.controlRate;
      const own = random() < b.agreement ? c[i] : random() < b.targetRate;
      t[i] = random() < b.memorised ? own || random() < b.flagRate : own;
      if (t[i]) flagged++;
      if (c[i]) controlFlagged++;
    }
    const difference = o.interval === 'bootstrap' ? pairedBootstrapDifference(t, c, { seed: rep, resamples: o.bootstrapResamples }) : newcombePaired(t, c);
    const { verdict } = decideVerdict(
      {
        contamination: flagged / b.n,
        control: { contamination: controlFlagged / b.n, difference, discordance: discordance(t, c) },
      },
      { mode: 'fixed', margins: o.margins, thresholds: o.thresholds },
    );
    if (verdict !== 'unknown') counts[verdict]++;
  }
  return counts;
}

/**
 * The smallest share of memorised items (in steps of 0.01) at which the rule says "not clean" in at
 * least `power` of simulated benchmarks like this one; NaN when even 100% is not enough. Power rises
 * with the share, so a bisection over the 101 steps suffices.
 */
export function minimumDetectableShare(
  b: Omit<SimulatedBenchmark, 'memorised'>,
  o: Omit<SimulationOptions, 'interval'> & { readonly power?: number },
): number {
  const power = o.power ?? 0.8;
  const detected = (step: number): boolean => {
    const counts = simulateVerdicts({ ...b, memorised: step / 100 }, { ...o, interval: 'newcombe' });
    return counts.suspicious + counts.contaminated >= power * o.reps;
  };
  if (!detected(100)) return NaN;
  let [lo, hi] = [0, 100];
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (detected(mid)) hi = mid;
    else lo = mid;
  }
  return hi / 100;
}
