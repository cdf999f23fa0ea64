/**
 * What a benchmark's verdict can and cannot see, in one sentence per report: how often the detector
 * flags a memorised item in contam's calibration cases (npm run calibrate, bench/calibration.md:
 * n-gram models that saw items verbatim three times, or once and retold), and, by simulating the
 * verdict rule at this benchmark's sample size and control share, the smallest share of memorised
 * items it tells apart from clean four times in five.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minimumDetectableShare } from './verdict-simulation.js';
import type { Margins, Thresholds } from './verdict.js';

export interface FlagCount {
  readonly members: number;
  readonly flagged: number;
}

/** references/calibration-rates.json, written by npm run calibrate. */
export interface CalibrationRates {
  readonly schemaVersion: 1;
  readonly measured: string;
  /** Loss AUROC of members vs non-members in the weak cases: how light "weak" is. */
  readonly weakLossAuroc: number;
  readonly detectors: Readonly<Record<string, { readonly strong: FlagCount; readonly weak: FlagCount }>>;
}

export const defaultCalibrationPath = fileURLToPath(new URL('../../references/calibration-rates.json', import.meta.url));

/** The committed rates, or undefined when the file is absent or not this version (the sentence is then left out). */
export function loadCalibrationRates(path: string = defaultCalibrationPath): CalibrationRates | undefined {
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as CalibrationRates;
    return raw.schemaVersion === 1 && typeof raw.detectors === 'object' ? raw : undefined;
  } catch {
    return undefined;
  }
}

export interface Sensitivity {
  readonly detector: string;
  readonly strongFlagRate: number;
  readonly weakFlagRate: number;
  /** Smallest share of items memorised (that strongly / weakly) the verdict tells from clean at 80% power; NaN: not even all. */
  readonly strongMinShare: number;
  readonly weakMinShare: number;
  readonly sentence: string;
}

export interface SensitivityContext {
  readonly detector: string;
  readonly n: number;
  readonly neighbours: number;
  readonly cut: number;
  readonly controlShare: number;
  readonly margins: Margins;
  readonly thresholds: Thresholds;
}

const SIMULATIONS = 400;
/** How alike target and control flag unmemorised items in the simulation (they rank the same neighbours). */
const AGREEMENT = 0.8;

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function sensitivityFor(ctx: SensitivityContext, rates: CalibrationRates | undefined): Sensitivity | undefined {
  const measured = rates?.detectors[ctx.detector];
  if (!measured || ctx.n === 0 || !measured.strong.members || !measured.weak.members) return undefined;
  const strongFlagRate = measured.strong.flagged / measured.strong.members;
  const weakFlagRate = measured.weak.flagged / measured.weak.members;
  const control = Number.isFinite(ctx.controlShare) ? ctx.controlShare : 0;
  const base = { n: ctx.n, neighbours: ctx.neighbours, cut: ctx.cut, controlRate: control, targetRate: control, agreement: AGREEMENT };
  const options = { reps: SIMULATIONS, seed: 17, margins: ctx.margins, thresholds: ctx.thresholds };
  const strongMinShare = minimumDetectableShare({ ...base, flagRate: strongFlagRate }, options);
  const weakMinShare = minimumDetectableShare({ ...base, flagRate: weakFlagRate }, options);
  const light = Number.isNaN(weakMinShare) ? 'and not even with every item memorised lightly' : `or ${pct(weakMinShare)} lightly`;
  const verbatim = Number.isNaN(strongMinShare) ? 'not even with every item memorised verbatim' : `once ${pct(strongMinShare)} of its items are memorised verbatim`;
  const tooSmall = Number.isNaN(strongMinShare) && Number.isNaN(weakMinShare);
  const what = tooSmall
    ? 'no share of memorised items is enough to tell a benchmark from clean (80% power): the sample is too small'
    : `the verdict tells a benchmark from clean (80% power) ${verbatim}, ${light}; below that it reads clean`;
  const sentence =
    `${ctx.detector} flags ${strongFlagRate.toFixed(2)} of verbatim-memorised and ${weakFlagRate.toFixed(2)} of lightly memorised items ` +
    `(loss AUROC ${rates!.weakLossAuroc.toFixed(2)}) in contam's calibration models; at n = ${ctx.n} with control ${control.toFixed(2)}, ` +
    `${what}.`;
  return { detector: ctx.detector, strongFlagRate, weakFlagRate, strongMinShare, weakMinShare, sentence };
}
