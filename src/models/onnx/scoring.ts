/**
 * Per-token log-probs for many token sequences: length-bucketed, right-padded batches; sequences
 * longer than the context are scored in rolling windows so every token is scored exactly once, and
 * a window longer than the token budget is fed in segments through the KV cache (segments.ts).
 * Texts that begin with the same tokens (a sample's neighbours) feed those tokens once
 * (prefix-groups.ts).
 */
import { forward } from './forward.js';
import { positionReader, scoreFetch } from './score-outputs.js';
import type { OpenedSession } from './session.js';
import { withKvBuffers, type KvBuffers } from './kv-buffers.js';
import { scoreInSegments, segmentRows, segmentSupport, sharedStart } from './segments.js';
import { maskAfterShared, prefixGroups, sharedPass, sharedScoringWorks, type PrefixGroup } from './prefix-groups.js';
import type { ort } from './session.js';
import type { TokenScores } from '../types.js';

export interface ScoringOptions {
  readonly contextLength: number;
  readonly padId: number;
  /** Most rows per forward pass. */
  readonly batchSize: number;
  /**
   * Most positions (rows x padded length) per forward pass: bounds memory for [b, s, vocab]. A
   * longer window goes in segments of this many tokens when the graph has a KV cache.
   */
  readonly tokenBudget: number;
  /** The logits' width; with it, long windows take fewer rows per segment (segments.ts segmentRows). */
  readonly vocab?: number;
  /** The model's K/V pool, shared with sampling (kv-buffers.ts withKvBuffers); long windows' cache comes from it. */
  readonly kvPool?: KvBuffers;
}

/**
 * One window of one sequence: tokens [start, end) are fed, predictions for [from, end) are kept.
 * After a shared past (prefix-groups.ts) a window starts where the past ends.
 */
interface Window {
  readonly seq: number;
  readonly start: number;
  readonly end: number;
  readonly from: number;
}

/** The window is its whole sequence (the sequence fits the context). */
const isWhole = (sequences: readonly (readonly number[])[], w: Window) => w.start === 0 && w.end === sequences[w.seq].length;

/** Each later window keeps half a context of history and predicts the next half context of tokens. */
export function windowsFor(seq: number, length: number, context: number): Window[] {
  if (length <= context) return [{ seq, start: 0, end: length, from: 1 }];
  const stride = Math.max(1, Math.floor(context / 2));
  const windows: Window[] = [{ seq, start: 0, end: context, from: 1 }];
  let done = context;
  while (done < length) {
    const end = Math.min(length, done + stride);
    windows.push({ seq, start: end - context, end, from: done });
    done = end;
  }
  return windows;
}

/**
 * Positions a batched window feeds: its last token is only a target (nothing after it is scored),
 * so the pass stops one short; causal attention leaves every earlier position's numbers as they were.
 */
export function fedLength(w: { readonly start: number; readonly end: number }): number {
  return w.end - w.start - 1;
}

function batches(windows: Window[], options: ScoringOptions): Window[][] {
  const sorted = [...windows].sort((a, b) => fedLength(b) - fedLength(a));
  const out: Window[][] = [];
  let current: Window[] = [];
  for (const w of sorted) {
    const width = current.length ? fedLength(current[0]) : fedLength(w);
    if (current.length && (current.length + 1 > options.batchSize || (current.length + 1) * width > options.tokenBudget)) {
      out.push(current);
      current = [];
    }
    current.push(w);
  }
  if (current.length) out.push(current);
  return out;
}

export async function scoreSequences(
  s: OpenedSession,
  sequences: readonly (readonly number[])[],
  options: ScoringOptions,
): Promise<TokenScores[]> {
  const results = sequences.map((ids) => ({
    ids,
    logprob: new Float64Array(ids.length).fill(NaN),
    mean: new Float64Array(ids.length).fill(NaN),
    std: new Float64Array(ids.length).fill(NaN),
  }));
  const all = sequences.flatMap((ids, i) => (ids.length < 2 ? [] : windowsFor(i, ids.length, options.contextLength)));
  // Long: more positions to feed than one pass may hold (the batched path feeds fedLength).
  const isLong = (w: Window) => fedLength(w) > options.tokenBudget;
  const firstLong = all.find(isLong);
  const support = firstLong ? await segmentSupport(s, sequences[firstLong.seq].slice(firstLong.start, firstLong.end), options.padId) : undefined;
  const mode = support?.slots ? 'slots' : support?.presents ? 'presents' : undefined;
  const segmented = mode !== undefined;
  const windows = segmented ? all.filter((w) => !isLong(w)) : all;
  const kv = s.signature.kv;
  const long = segmented ? all.filter(isLong).sort((x, y) => y.end - y.start - (x.end - x.start)) : [];
  if (long.length) {
    // Long texts that begin alike take their common positions from one prefix, scored once
    // (prefix-groups.ts, segments.ts sharedStart); it is kept until the group's last member is done.
    const groups = mode === 'slots' ? prefixGroups(sequences, long.filter((w) => isWhole(sequences, w)).map((w) => w.seq)) : [];
    const groupOf = new Map(groups.flatMap((g) => g.seqs.map((seq) => [seq, g] as const)));
    const left = new Map(groups.map((g) => [g, g.seqs.length]));
    const starts = new Map<PrefixGroup, Awaited<ReturnType<typeof sharedStart>>>();
    const rowsFor = (length: number) => (kv && options.vocab ? segmentRows(length, options.tokenBudget, options.vocab, kv) : options.tokenBudget);
    await withKvBuffers(options.kvPool, async (cache) => {
      try {
        // Longest first, so the first window sizes the reused cache.
        for (const w of long) {
          const g = groupOf.get(w.seq);
          let start = g && starts.get(g);
          if (g && !start) {
            start = await sharedStart(s, sequences[w.seq], g.length, rowsFor(g.length + 1), options.padId);
            starts.set(g, start);
          }
          const scores = await scoreInSegments(s, sequences[w.seq].slice(w.start, w.end), rowsFor(w.end - w.start), options.padId, cache, mode, start);
          const r = results[w.seq];
          for (let t = w.from; t < w.end; t++) {
            r.logprob[t] = scores.logprob[t - 1 - w.start];
            r.mean[t] = scores.mean[t - 1 - w.start];
            r.std[t] = scores.std[t - 1 - w.start];
          }
          if (g && start) {
            left.set(g, left.get(g)! - 1);
            if (left.get(g) === 0) {
              starts.delete(g);
              start.release();
            }
          }
        }
      } finally {
        for (const start of starts.values()) start.release();
      }
    });
  }
  // Single-window texts that begin alike feed their common tokens once (prefix-groups.ts).
  const whole = new Set(windows.filter((w) => isWhole(sequences, w)).map((w) => w.seq));
  let groups = kv ? prefixGroups(sequences, [...whole]) : [];
  if (groups.length && !(await sharedScoringWorks(s, sequences[groups[0].seqs[0]], options.padId, options.contextLength))) groups = [];
  const grouped = new Set(groups.flatMap((g) => g.seqs));
  await scoreBatches(s, sequences, windows.filter((w) => !grouped.has(w.seq)), options, results);
  for (const g of groups) {
    const shared = await sharedPass(s, sequences, g, results);
    const rest = g.seqs.map((seq) => ({ seq, start: g.length, end: sequences[seq].length, from: g.length + 1 })).filter((w) => fedLength(w) > 0);
    await scoreBatches(s, sequences, rest, options, results, { length: g.length, tensors: shared });
  }
  return results;
}

/** Windows in length-bucketed batches, each after the shared past when there is one. */
async function scoreBatches(
  s: OpenedSession,
  sequences: readonly (readonly number[])[],
  windows: Window[],
  options: ScoringOptions,
  results: readonly TokenScores[],
  shared?: { readonly length: number; readonly tensors: ort.Tensor[] },
): Promise<void> {
  for (const group of batches(windows, options)) {
    const width = fedLength(group[0]);
    const pad = (row: readonly number[]) => [...row, ...new Array(width - row.length).fill(options.padId)];
    const ids = group.map((w) => pad(sequences[w.seq].slice(w.start, w.end - 1)));
    const mask = group.map((w) => maskAfterShared(shared?.length ?? 0, fedLength(w), width));
    const targets = group.map((w) => pad(sequences[w.seq].slice(w.start + 1, w.end)));
    const out = await forward(s, { ids, mask, targets, shared: shared?.tensors, fetch: scoreFetch(s) });
    const read = positionReader(s, out);
    group.forEach((w, b) => {
      // Position p in the window predicts token start + p + 1.
      for (let t = w.from; t < w.end; t++) read(b * width + (t - 1 - w.start), sequences[w.seq][t], results[w.seq], t);
    });
    for (const t of Object.values(out)) t.dispose?.();
  }
}

/** The first position whose numbers are NaN or infinite, or -1. */
export function firstNonFinite(scores: TokenScores): number {
  for (let t = 1; t < scores.ids.length; t++) {
    if (!Number.isFinite(scores.logprob[t]) || !Number.isFinite(scores.mean[t]) || !Number.isFinite(scores.std[t])) return t;
  }
  return -1;
}
