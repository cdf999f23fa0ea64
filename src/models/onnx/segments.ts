/**
 * One long window scored in segments through the KV cache. A forward pass holds several
 * [positions, vocab] float tensors (the logits and the head's intermediates), so one pass over a
 * 700-token text took 600 MB more than a pass over 80 tokens on GPT-2 small, and an MMLU audit's
 * peak grew with the longest item it met. Fed at most `segment` new tokens at a time after the
 * cache of the tokens before them, each pass holds one segment's rows plus the cache, and every
 * position sees the same context, so the numbers equal one pass's within float rounding.
 *
 * Not every export takes several new tokens after a past (some decoders assume one), so the first
 * long window of a session is checked against the one-pass numbers; a graph that disagrees or
 * throws keeps the one-pass path.
 */
import { forward } from './forward.js';
import { tailKvName } from './graph-head.js';
import { positionReader, scoreFetch, type PositionScores } from './score-outputs.js';
import { ort, type OpenedSession } from './session.js';
import { kvBytesPerToken, type KvSpec } from './signature.js';
import { KvBuffers, type KvData } from './kv-buffers.js';

const { Tensor } = ort;

/** The numbers of every position of a one-row forward pass, written from `at` on. */
function readRows(s: OpenedSession, out: ort.InferenceSession.ReturnType, targets: readonly number[], into: PositionScores, at: number): void {
  const read = positionReader(s, out);
  targets.forEach((target, p) => read(p, target, into, at + p));
}

export function emptyScores(length: number): PositionScores {
  return { logprob: new Float64Array(length).fill(NaN), mean: new Float64Array(length).fill(NaN), std: new Float64Array(length).fill(NaN) };
}

/** Next-token targets of a run of tokens; the last position has none and gets `pad`. */
function nextTokens(tokens: readonly number[], from: number, to: number, pad: number): number[] {
  return Array.from({ length: to - from }, (_, i) => (from + i + 1 < tokens.length ? tokens[from + i + 1] : pad));
}

/** Scores `tokens` (one window) in one forward pass. */
export async function scoreOnePass(s: OpenedSession, tokens: readonly number[], pad: number): Promise<PositionScores> {
  const targets = nextTokens(tokens, 0, tokens.length, pad);
  const out = await forward(s, { ids: [[...tokens]], mask: [tokens.map(() => 1)], targets: [targets], fetch: scoreFetch(s) });
  const scores = emptyScores(tokens.length);
  readRows(s, out, targets, scores, 0);
  for (const t of Object.values(out)) t.dispose?.();
  scores.logprob[tokens.length - 1] = scores.mean[tokens.length - 1] = scores.std[tokens.length - 1] = NaN;
  return scores;
}

export type SegmentMode = 'slots' | 'presents';

/** Equal segments of at most `budget` tokens: a short last one (17 after 83) runs at half the speed per token. */
export function segmentLength(length: number, budget: number): number {
  return Math.ceil(length / Math.ceil(length / budget));
}

/**
 * [positions, vocab] float tensors a scoring pass holds: its logits and about half a tensor more
 * for the chunked head's intermediates (graph-head.ts statsBranch).
 */
const HEAD_TENSORS = 1.5;

/**
 * New tokens per pass for a window of `length` tokens scored in segments. A short window's pass holds
 * the head's tensors for `budget` positions. A long window holds besides its whole cache (in JS for
 * slots, in onnxruntime's presents otherwise) for all its passes, so its segments take fewer rows,
 * until cache and pass fit in what a short pass takes (at least a quarter of the budget). Measured on
 * GPT-2 small (2026-12-07, 2 vCPUs, budget 256, one 1,024-token window): 147-row segments (the rows
 * when the head was counted as 4 tensors) peaked 25-33 MB higher than 64-row ones, which took
 * 8-26% longer per window (each pass copies the whole cache into onnxruntime's presents); gpt2-mini
 * (959 tokens, 107 against 64 rows): 8-12 MB lower for 2-8% longer.
 */
export function segmentRows(length: number, budget: number, vocab: number, kv: KvSpec): number {
  const rows = Math.floor(budget - (length * kvBytesPerToken(kv)) / (HEAD_TENSORS * vocab * 4));
  return segmentLength(length, Math.max(Math.ceil(budget / 4), rows));
}

/**
 * A window's first positions taken from a prefix it shares with other windows (prefix-groups.ts):
 * their K/V is copied into the window's cache and their numbers are read, not computed again.
 */
export interface SharedStart {
  /** Positions taken: tokens [0, length) are not fed. */
  readonly length: number;
  /** The prefix's K/V, one buffer per past input, in scoreInSegments' layout with `capacity` slots. */
  readonly buffers: readonly KvData[];
  readonly capacity: number;
  /** The prefix's numbers: position p (predicting token p + 1) at p. */
  readonly scores: PositionScores;
}

/**
 * The first `length` positions of `tokens` scored once in segments (slots mode), for the windows that
 * share them. One more token is fed than kept, so that the prefix's last kept position is scored
 * with its own (common) next token; its slot is never read.
 */
export async function sharedStart(s: OpenedSession, tokens: readonly number[], length: number, segment: number, pad: number): Promise<SharedStart & { release(): void }> {
  const cache = new KvBuffers();
  const part = tokens.slice(0, length + 1);
  let scores: PositionScores;
  try {
    scores = await scoreInSegments(s, part, segment, pad, cache, 'slots');
  } catch (error) {
    cache.release();
    throw error;
  }
  // release() empties this array before the cache collects, so no view keeps the memory alive.
  const buffers = [...cache.views];
  return {
    length,
    buffers,
    capacity: part.length,
    scores,
    release: () => {
      buffers.length = 0;
      cache.release();
    },
  };
}

function hasTails(s: OpenedSession): boolean {
  return !!s.signature.kv && s.signature.kv.presentNames.every((name) => s.signature.outputs.includes(tailKvName(name)));
}

/**
 * Scores `tokens` (one window) `segment` new tokens per forward pass, carrying the KV cache.
 *
 * With our head the cache lives in one buffer per past input at the window's full length, its unused
 * slots hidden by the attention mask (as fixed-cache.ts does for decoding): each pass returns only
 * its own positions' K/V (the tails), written into the next slots. onnxruntime's concatenated
 * present then has the same shape every pass, so its arena reuses one block. Without the head
 * (no tails), or for a graph that cannot take a masked gap, mode 'presents' fetches the whole
 * present and feeds it back.
 */
export async function scoreInSegments(
  s: OpenedSession,
  tokens: readonly number[],
  segment: number,
  pad: number,
  cache = new KvBuffers(),
  mode: SegmentMode = hasTails(s) ? 'slots' : 'presents',
  start?: SharedStart,
): Promise<PositionScores> {
  const kv = s.signature.kv;
  if (!kv) throw new Error('segmented scoring needs a graph with a KV cache');
  const scores = emptyScores(tokens.length);
  const tails = mode === 'slots';
  const capacity = tokens.length;
  const blocks = (kv.convention === 'stacked' ? 2 : 1) * kv.heads;
  const d = kv.headDim;
  const buffers = tails ? cache.take(kv.presentNames.length, blocks * capacity * d, kv.dtype === 'float16') : [];
  const dims = kv.convention === 'stacked' ? [2, 1, kv.heads, capacity, d] : [1, kv.heads, capacity, d];
  const fixedPast = buffers.map((buffer) => new Tensor(kv.dtype, buffer.subarray(0, blocks * capacity * d) as Float32Array, dims));
  let past: ort.Tensor[] | undefined = tails ? fixedPast : undefined;
  const from = start && tails ? start.length : 0;
  if (start && tails) {
    for (let i = 0; i < buffers.length; i++) {
      for (let j = 0; j < blocks; j++) buffers[i].set(start.buffers[i].subarray(j * start.capacity * d, (j * start.capacity + from) * d), j * capacity * d);
    }
    for (let p = 0; p < from; p++) {
      scores.logprob[p] = start.scores.logprob[p];
      scores.mean[p] = start.scores.mean[p];
      scores.std[p] = start.scores.std[p];
    }
  }
  const step = segmentLength(tokens.length - from, segment);
  for (let a = from; a < tokens.length; a += step) {
    const b = Math.min(tokens.length, a + step);
    const n = b - a;
    const targets = nextTokens(tokens, a, b, pad);
    const mask = tails ? Array.from({ length: capacity + n }, (_, j) => (j < a || j >= capacity ? 1 : 0)) : new Array(b).fill(1);
    const out = await forward(s, {
      ids: [tokens.slice(a, b)],
      mask: [mask],
      past,
      targets: [targets],
      fetch: [...scoreFetch(s), ...(tails ? kv.presentNames.map(tailKvName) : kv.presentNames)],
      tails,
    });
    readRows(s, out, targets, scores, a);
    if (!tails) {
      past = kv.presentNames.map((name) => out[name]);
      continue;
    }
    kv.presentNames.forEach((name, i) => {
      const tail = out[tailKvName(name)].data as Float32Array | Uint16Array;
      for (let j = 0; j < blocks; j++) buffers[i].set(tail.subarray(j * n * d, (j + 1) * n * d), (j * capacity + a) * d);
    });
  }
  scores.logprob[tokens.length - 1] = scores.mean[tokens.length - 1] = scores.std[tokens.length - 1] = NaN;
  return scores;
}

/**
 * Whether `parts` gives the numbers of `reference` (one pass) within what the graph's float type
 * allows (relative above 1; NaN where both are NaN): a one-off check's verdict on another way of
 * computing the same positions.
 */
export function scoresAgree(s: OpenedSession, reference: PositionScores, parts: PositionScores): boolean {
  const tolerance = s.signature.kv?.dtype === 'float16' || s.signature.logitsType === 'float16' ? 2e-2 : 1e-4;
  return (['logprob', 'mean', 'std'] as const).every((key) =>
    Array.from(reference[key]).every((x, i) => (Number.isNaN(x) && Number.isNaN(parts[key][i])) || Math.abs(x - parts[key][i]) <= tolerance * Math.max(1, Math.abs(x))),
  );
}

/** How a graph can take segments: in cache slots behind a mask, or by feeding each present back. */
export interface SegmentSupport {
  readonly slots: boolean;
  readonly presents: boolean;
}

const verdicts = new WeakMap<OpenedSession, SegmentSupport>();

/**
 * Whether this graph scores a window in segments as it does in one pass, each way: checked once per
 * session on the first 12 tokens of a real window in segments of 5 (three passes, two with a past).
 */
export async function segmentSupport(s: OpenedSession, tokens: readonly number[], pad: number): Promise<SegmentSupport> {
  const known = verdicts.get(s);
  if (known !== undefined) return known;
  const kv = s.signature.kv;
  const probe = tokens.slice(0, 12);
  let whole: PositionScores | undefined;
  if (kv && probe.length >= 3) {
    try {
      whole = await scoreOnePass(s, probe, pad);
    } catch {
      whole = undefined;
    }
  }
  const check = async (mode: SegmentMode): Promise<boolean> => {
    if (!whole) return false;
    const reference = whole;
    try {
      return scoresAgree(s, reference, await scoreInSegments(s, probe, 5, pad, new KvBuffers(), mode));
    } catch {
      return false;
    }
  };
  const support = { slots: hasTails(s) && (await check('slots')), presents: await check('presents') };
  verdicts.set(s, support);
  return support;
}
