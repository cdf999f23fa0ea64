/**
 * One sample, start to finish: the target's and the reference's scores of the original, the
 * reference's neighbours, both models' scores of every neighbour, and the rank of the original among
 * them per detector (target seat and control seat). Neighbours are drawn in chunks of a fixed
 * schedule with per-chunk seeds, so stopping early draws exactly the neighbours the full computation would.
 */
import { ppl } from '../detectors/loss.js';
import { lowestCount } from '../detectors/token-math.js';
import { EarlyStop } from '../neighbours/early-stop.js';
import { neighbourPlan, prefixFor } from '../neighbours/plan.js';
import type { OpenedModel } from '../models/onnx/open.js';
import type { TokenScores } from '../models/types.js';
import { deriveSeed } from '../util/rng.js';
import { needsLowercase, scoreAll, type KeyedDetector } from './detector-set.js';
import type { AuditConfig, LowToken, NeighbourRecord, SampleRecord } from './types.js';
import type { Sample } from '../benchmarks/types.js';

export interface SampleWork {
  readonly target: OpenedModel;
  readonly reference: OpenedModel;
  readonly detectors: readonly KeyedDetector[];
  readonly config: AuditConfig;
  /** Neighbours in the first sampling call; each later call doubles what was drawn (see chunkSizes). */
  readonly firstChunk: number;
  /** Longest text (in target tokens) scored; longer ones are a per-sample error. */
  readonly maxTokens: number;
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

/** Scores texts under one model, with its lowercase pass when a detector needs it. */
async function scoreTexts(model: OpenedModel, texts: readonly string[], limit: number | null, lower: boolean) {
  const tok = model.tokenizer;
  const main = await model.scoreIds(texts.map((t) => truncate(tok.encode(t), limit)));
  const lowercase = lower ? await model.scoreIds(texts.map((t) => truncate(tok.encode(t.toLowerCase()), limit))) : undefined;
  return { main, lowercase };
}

export function lowestTokens(scores: TokenScores, tokenText: (id: number) => string, k = 0.2): LowToken[] {
  const positions = Array.from({ length: Math.max(0, scores.ids.length - 1) }, (_, i) => i + 1);
  const count = lowestCount(k, positions.length);
  return positions
    .sort((a, b) => scores.logprob[a] - scores.logprob[b] || a - b)
    .slice(0, count)
    .sort((a, b) => a - b)
    .map((position) => ({ text: tokenText(scores.ids[position]), position, logprob: scores.logprob[position] }));
}

export async function runSample(work: SampleWork, sample: Sample): Promise<{ record: SampleRecord; saved: number }> {
  const { target, reference, detectors, config } = work;
  const lower = needsLowercase(detectors);
  const text = sample.text;
  const idsT = target.tokenizer.encode(text);
  if (idsT.length > work.maxTokens) {
    throw new SampleError(`text has ${idsT.length} tokens; the limit is ${work.maxTokens} (--max-tokens)`);
  }
  const t = await scoreTexts(target, [text], null, lower);
  const r = await scoreTexts(reference, [text], null, lower);
  const scores = scoreAll(detectors, text, { self: t.main[0], lowercase: t.lowercase?.[0], other: r.main[0] }, false);
  const controlScores = scoreAll(detectors, text, { self: r.main[0], lowercase: r.lowercase?.[0], other: t.main[0] }, true);

  const ratio = config.prefixRatio;
  const rt = reference.tokenizer;
  const tokens =
    config.mode === 'fixed'
      ? {
          original: rt.encode(text, { addSpecialTokens: false }).length,
          prefix: rt.encode(prefixFor('fixed', text, ratio).prefix, { addSpecialTokens: false }).length,
        }
      : undefined;
  const plan = neighbourPlan({ text, mode: config.mode, sampleId: sample.id, seed: config.seed, ratio, neighbours: config.neighbours, tokens });
  const prefixIds = rt.encode(plan.prefix.prefix);
  const M = config.neighbours;
  // compat keeps upstream's strict comparison; fixed counts a tie as half (see neighbours/rank.ts).
  const ties = config.mode === 'compat' ? 'strict' : 'half';
  const stops = new Map(detectors.map((d) => [d.key, new EarlyStop(M, scores[d.key], config.cut, ties)]));
  const controlStops = new Map(detectors.filter((d) => d.hasControl).map((d) => [d.key, new EarlyStop(M, controlScores[d.key], config.cut, ties)]));
  const examples: NeighbourRecord[] = [];
  let scored = 0;
  for (const [chunk, n] of chunkSizes(M, work.firstChunk).entries()) {
    const continuations = await reference.sampleIds(prefixIds, { ...plan.sampling, n, seed: deriveSeed(plan.sampling.seed, `chunk ${chunk}`) });
    const texts = continuations.map((c) => rt.decode([...prefixIds, ...c], { skipSpecialTokens: true }));
    const nt = await scoreTexts(target, texts, plan.truncation.neighbours, lower);
    const nr = await scoreTexts(reference, texts, plan.truncation.neighbours, lower);
    texts.forEach((neighbour, j) => {
      const s = scoreAll(detectors, neighbour, { self: nt.main[j], lowercase: nt.lowercase?.[j], other: nr.main[j] }, false);
      const c = scoreAll(detectors, neighbour, { self: nr.main[j], lowercase: nr.lowercase?.[j], other: nt.main[j] }, true);
      for (const [key, stop] of stops) stop.add(s[key]);
      for (const [key, stop] of controlStops) stop.add(c[key]);
      if (examples.length < NEIGHBOUR_EXAMPLES) examples.push({ text: neighbour, scores: s });
    });
    scored += n;
    const decided = [...stops.values(), ...controlStops.values()].every((s) => s.decided);
    if (config.earlyStop && decided) break;
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
  const tokenText = (id: number) => target.tokenizer.tokenText(id);
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
    lowestTokens: lowestTokens(main, tokenText),
    neighbourExamples: examples,
    tokens: main.ids.map((id, i) => ({ text: tokenText(id), logprob: i === 0 ? null : main.logprob[i] })),
    ppl: ppl(main),
  };
  return { record, saved: M - scored };
}
