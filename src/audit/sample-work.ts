/**
 * One sample, start to finish: the target's and the reference's scores of the original, the
 * reference's neighbours, both models' scores of every neighbour, and the rank of the original among
 * them per detector (target seat and control seat). Neighbours are drawn in chunks of a fixed
 * schedule with per-chunk seeds, so stopping early draws exactly the neighbours the full computation would.
 */
import { ppl } from '../detectors/loss.js';
import { lowestCount } from '../detectors/token-math.js';
import { allDecided, EarlyStop } from '../neighbours/early-stop.js';
import { neighbourPlan, prefixFor } from '../neighbours/plan.js';
import type { ModelBackend } from '../models/backend.js';
import type { TokenScores } from '../models/types.js';
import { deriveSeed } from '../util/random.js';
import { needsDistribution, needsLowercase, scoreAll, type KeyedDetector } from './detector-set.js';
import type { AuditConfig, LowToken, NeighbourRecord, SampleRecord } from './types.js';
import type { Sample } from '../benchmarks/types.js';
import type { Meter } from './meter.js';

export interface SampleWork {
  readonly target: ModelBackend;
  readonly reference: ModelBackend;
  readonly detectors: readonly KeyedDetector[];
  readonly config: AuditConfig;
  /** Neighbours in the first sampling call; each later call doubles what was drawn (see chunkSizes). */
  readonly firstChunk: number;
  /** Longest text (in target tokens) scored; longer ones are a per-sample error. */
  readonly maxTokens: number;
  /** Target and reference calls go out together (seats.ts); else one after the other. */
  readonly sideBySide: boolean;
  /** Times the statistics (detectors, ranks) of a sample. */
  readonly meter?: Meter;
}

export class SampleError extends Error {}

const NEIGHBOUR_EXAMPLES = 3;

/**
 * Sampling calls for M neighbours: first `first`, then as many again as drawn so far (10, 10, 20,
 * 40, 20 for M = 100). The first call is the fewest that can decide a sample (ceil(cut x M) beating
 * neighbours settle "not flagged"), so a clean sample often stops there; doubling keeps the number
 * of calls, and so the loss of batch efficiency, logarithmic for samples that need them all.
 */
export function chunkSizes(M: number, first: number): number[] {
  const sizes: number[] = [];
  let drawn = 0;
  while (drawn < M) {
    const n = Math.min(M - drawn, drawn === 0 ? Math.max(1, first) : drawn);
    sizes.push(n);
    drawn += n;
  }
  return sizes;
}

function truncate(ids: number[], limit: number | null): number[] {
  return limit === null ? ids : ids.slice(0, limit);
}

interface Needs {
  readonly lowercase: boolean;
  /** The full next-token distribution's moments (Min-K%++). */
  readonly distribution: boolean;
}

/**
 * Scores texts under one model, with its lowercase pass when a detector needs it. A backend that
 * takes concurrent calls (an engine) gets both passes in one call; a local model runs them one after
 * the other, in the batches it always had.
 */
async function scoreTexts(model: ModelBackend, texts: readonly string[], limits: readonly (number | null)[], needs: Needs) {
  const pass = async (xs: readonly string[]) =>
    model.score((await model.tokenize(xs)).map((x, i) => truncate(x, limits[i % limits.length])), { distribution: needs.distribution });
  if (!needs.lowercase) return { main: await pass(texts), lowercase: undefined };
  const lowered = texts.map((t) => t.toLowerCase());
  if (model.capabilities.parallelSamples > 1) {
    const both = await pass([...texts, ...lowered]);
    return { main: both.slice(0, texts.length), lowercase: both.slice(texts.length) };
  }
  const main = await pass(texts);
  return { main, lowercase: await pass(lowered) };
}

/** Both models take concurrent calls (engines): a sample's first calls are then merged into fewer requests. */
const concurrent = (work: SampleWork): boolean => work.target.capabilities.parallelSamples > 1 && work.reference.capabilities.parallelSamples > 1;

/** Target and reference side by side (seats.ts); else one after the other. */
async function bothSeats<T>(work: SampleWork, a: () => Promise<T>, b: () => Promise<T>): Promise<[T, T]> {
  if (work.sideBySide) return Promise.all([a(), b()]);
  const first = await a();
  return [first, await b()];
}

export function lowestTokens(scores: TokenScores, tokenTexts: readonly string[], k = 0.2): LowToken[] {
  const positions = Array.from({ length: Math.max(0, scores.ids.length - 1) }, (_, i) => i + 1);
  const count = lowestCount(k, positions.length);
  return positions
    .sort((a, b) => scores.logprob[a] - scores.logprob[b] || a - b)
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((position) => ({ text: tokenTexts[position], position, logprob: scores.logprob[position] }));
}

export async function runSample(work: SampleWork, sample: Sample): Promise<{ record: SampleRecord; saved: number }> {
  const { target, reference, detectors, config } = work;
  const stat = <T>(step: () => T): T => (work.meter ? work.meter.time('statistics', step) : step());
  const needs: Needs = { lowercase: needsLowercase(detectors), distribution: needsDistribution(detectors) };
  const text = sample.text;
  const [idsT] = await target.tokenize([text]);
  if (idsT.length > work.maxTokens) {
    throw new SampleError(`text has ${idsT.length} tokens; the limit is ${work.maxTokens} (--max-tokens)`);
  }
  const { prefixRatio } = config;
  let tokens: { original: number; prefix: number } | undefined;
  if (config.mode === 'fixed') {
    const [original, prefix] = await reference.tokenize([text, prefixFor('fixed', text, prefixRatio).prefix], { addSpecialTokens: false });
    tokens = { original: original.length, prefix: prefix.length };
  }
  const plan = neighbourPlan({ text, mode: config.mode, sampleId: sample.id, seed: config.seed, prefixRatio, neighbours: config.neighbours, tokens });
  const [prefixIds] = await reference.tokenize([plan.prefix.prefix]);
  const M = config.neighbours;
  const chunks = chunkSizes(M, work.firstChunk);
  const draw = (chunk: number) =>
    reference.sample({ ids: prefixIds, text: plan.prefix.prefix }, { ...plan.sampling, n: chunks[chunk], seed: deriveSeed(plan.sampling.seed, `chunk ${chunk}`) });
  const limit = plan.truncation.neighbours;
  const both = (texts: readonly string[], limits: readonly (number | null)[]) =>
    bothSeats(work, () => scoreTexts(target, texts, limits, needs), () => scoreTexts(reference, texts, limits, needs));

  // On engines the first neighbours are drawn before the original is scored, so that the original and
  // they go out in one scoring request per model; a local model scores the original alone, as always.
  const first = concurrent(work) ? await draw(0) : [];
  const [t, r] = await both([text, ...first], [null, ...first.map(() => limit)]);
  const scores = stat(() => scoreAll(detectors, text, { self: t.main[0], lowercase: t.lowercase?.[0], other: r.main[0] }, false));
  const controlScores = stat(() => scoreAll(detectors, text, { self: r.main[0], lowercase: r.lowercase?.[0], other: t.main[0] }, true));

  // compat keeps upstream's strict comparison; fixed counts a tie as half (see neighbours/rank.ts).
  const ties = config.mode === 'compat' ? 'strict' : 'half';
  const stops = new Map(detectors.map((d) => [d.key, new EarlyStop(M, scores[d.key], config.cut, ties)]));
  const controlStops = new Map(detectors.filter((d) => d.hasControl).map((d) => [d.key, new EarlyStop(M, controlScores[d.key], config.cut, ties)]));
  const examples: NeighbourRecord[] = [];
  let scored = 0;
  /** Adds neighbours scored at positions offset.. of nt/nr; true when early stopping may end the sample here. */
  const consider = (texts: readonly string[], nt: typeof t, nr: typeof r, offset: number): boolean => stat(() => {
    texts.forEach((neighbour, j) => {
      const k = offset + j;
      const s = scoreAll(detectors, neighbour, { self: nt.main[k], lowercase: nt.lowercase?.[k], other: nr.main[k] }, false);
      const c = scoreAll(detectors, neighbour, { self: nr.main[k], lowercase: nr.lowercase?.[k], other: nt.main[k] }, true);
      for (const [key, stop] of stops) stop.add(s[key]);
      for (const [key, stop] of controlStops) stop.add(c[key]);
      if (examples.length < NEIGHBOUR_EXAMPLES) examples.push({ text: neighbour, scores: s });
    });
    scored += texts.length;
    return config.earlyStop && allDecided([...stops.values(), ...controlStops.values()]);
  });
  let done = first.length > 0 && consider(first, t, r, 1);
  for (let chunk = first.length > 0 ? 1 : 0; chunk < chunks.length && !done; chunk++) {
    const texts = await draw(chunk);
    const [nt, nr] = await both(texts, texts.map(() => limit));
    done = consider(texts, nt, nr, 0);
  }

  const ranks: Record<string, number> = {};
  const flags: Record<string, boolean> = {};
  const controlRanks: Record<string, number> = {};
  const controlFlags: Record<string, boolean> = {};
  const fill = (from: Map<string, EarlyStop>, rankInto: Record<string, number>, flagInto: Record<string, boolean>) => {
    for (const [key, stop] of from) {
      const res = stop.result();
      rankInto[key] = res.rank ?? res.beating / Math.max(1, M - res.invalid);
      flagInto[key] = res.flagged;
    }
  };
  fill(stops, ranks, flags);
  fill(controlStops, controlRanks, controlFlags);
  const main = t.main[0];
  const tokenTexts = await target.tokenTexts(main.ids);
  const record: SampleRecord = {
    id: sample.id,
    benchmark: sample.benchmark,
    rowIndex: sample.rowIndex,
    textHash: sample.textHash,
    text,
    ...(sample.label ? { label: sample.label } : {}),
    scores,
    controlScores,
    ranks,
    controlRanks,
    flags,
    controlFlags,
    ranksExact: scored === M,
    neighboursScored: scored,
    neighboursTotal: M,
    lowestTokens: lowestTokens(main, tokenTexts),
    neighbourExamples: examples,
    tokens: main.ids.map((_, i) => ({ text: tokenTexts[i], logprob: i === 0 ? null : main.logprob[i] })),
    ppl: ppl(main),
  };
  return { record, saved: M - scored };
}
