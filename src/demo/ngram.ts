/**
 * An interpolated Kneser-Ney n-gram language model (Chen & Goodman 1998, section 3; one absolute
 * discount D per model), estimated from documents of token ids, in the layout export.ts turns into an
 * ONNX graph. At every order: P_n(w|h) = a_n(h, w) + gamma_n(h) · P_{n-1}(w|h'), with
 * a_n = max(c(hw) - D, 0)/c(h) and gamma_n = D·N1+(h•)/c(h); the highest order counts occurrences, the
 * lower ones count distinct left words (continuation counts), and below the unigram sits a uniform floor.
 *
 * Layout:
 *   dense   rows 0..V-1 P_2(w|v), rows V.. P_3(w|u v) for every seen 2-word context (probabilities)
 *   contextRow[u·V + v]  the dense row context (u, v) reads (its bigram row when (u, v) was never seen)
 *   sparse  orders 4..N: per kept context its gamma and its few explicit (w, a) pairs
 * A higher-order context is kept when seen at least twice with at most `maxContinuations` next words:
 * count-cutoff pruning (as SRILM/KenLM), plus dropping wide contexts, which say little beyond their
 * suffix. A dropped context reads the order below. Memorised benchmark items are exactly the kept kind:
 * long contexts seen three times (the repeats), always followed by the same word.
 */

export interface NgramOptions {
  /** Highest order; 6 = five words of context, enough to reach back to an item's own names. Default 6. */
  readonly order?: number;
  /** Absolute discount D. Default 0.75. */
  readonly discount?: number;
  readonly minContextCount?: number;
  readonly maxContinuations?: number;
}

export interface SparseContext {
  /** Context words as a base-V number, oldest word most significant. */
  readonly key: number;
  readonly gamma: number;
  readonly next: readonly { readonly word: number; readonly a: number }[];
}

export interface NgramModel {
  readonly vocab: number;
  readonly order: number;
  readonly denseRows: number;
  /** [denseRows, vocab] row-major probabilities. */
  readonly dense: Float32Array;
  readonly contextRow: Int32Array;
  /** sparse[i] holds order i + 4. */
  readonly sparse: readonly (readonly SparseContext[])[];
  readonly maxContinuations: number;
}

type Counts = Map<number, Map<number, number>>;

function bump(map: Map<number, number>, key: number): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Raw counts of the highest order, then continuation counts for every lower one; grouped by context. */
function countOrders(docs: readonly (readonly number[])[], order: number, V: number): Counts[] {
  const byOrder: Counts[] = Array.from({ length: order + 1 }, () => new Map());
  const add = (counts: Counts, context: number, word: number) => {
    let next = counts.get(context);
    if (!next) counts.set(context, (next = new Map()));
    bump(next, word);
  };
  for (const doc of docs) {
    // Every document starts after order-1 boundaries, as the graph pads a text's start.
    const ids = [...new Array<number>(order - 1).fill(0), ...doc, 0];
    for (let i = order - 1; i < ids.length; i++) {
      let context = 0;
      for (let j = i - order + 1; j < i; j++) context = context * V + ids[j];
      add(byOrder[order], context, ids[i]);
    }
  }
  for (let n = order - 1; n >= 1; n--) {
    const modulus = V ** (n - 1);
    // Each distinct (n+1)-gram adds one left word to the n-gram that is its suffix.
    for (const [context, next] of byOrder[n + 1]) for (const word of next.keys()) add(byOrder[n], context % modulus, word);
  }
  return byOrder;
}

function total(next: Map<number, number>): number {
  let sum = 0;
  for (const c of next.values()) sum += c;
  return sum;
}

/** P_n(.|h) into out[offset..] from the context's counts and the order below. */
function interpolate(next: Map<number, number> | undefined, lower: ArrayLike<number>, D: number, out: Float32Array, offset: number): void {
  const V = lower.length;
  const sum = next ? total(next) : 0;
  const gamma = sum === 0 ? 1 : (D * next!.size) / sum;
  for (let w = 0; w < V; w++) out[offset + w] = gamma * lower[w];
  if (next && sum > 0) for (const [w, c] of next) out[offset + w] += Math.max(c - D, 0) / sum;
}

export function estimateNgram(docs: readonly (readonly number[])[], vocab: number, options: NgramOptions = {}): NgramModel {
  const order = options.order ?? 6;
  const D = options.discount ?? 0.75;
  const minCount = options.minContextCount ?? 2;
  const maxNext = options.maxContinuations ?? 8;
  if (order < 3) throw new RangeError(`ngram: order must be at least 3, got ${order}`);
  if (vocab ** (order - 1) > Number.MAX_SAFE_INTEGER) throw new RangeError(`ngram: ${vocab}^${order - 1} context keys do not fit a double`);
  for (const doc of docs) for (const id of doc) if (!(id > 0 && id < vocab)) throw new RangeError(`ngram: token ${id} is outside 1-${vocab - 1}`);
  const counts = countOrders(docs, order, vocab);

  const unigram = new Float32Array(vocab);
  interpolate(counts[1].get(0), new Float64Array(vocab).fill(1 / vocab), D, unigram, 0);
  const trigramContexts = [...counts[3].keys()].sort((a, b) => a - b);
  const denseRows = vocab + trigramContexts.length;
  const dense = new Float32Array(denseRows * vocab);
  for (let v = 0; v < vocab; v++) interpolate(counts[2].get(v), unigram, D, dense, v * vocab);
  const contextRow = new Int32Array(vocab * vocab);
  for (let i = 0; i < contextRow.length; i++) contextRow[i] = i % vocab;
  trigramContexts.forEach((context, i) => {
    const v = context % vocab;
    interpolate(counts[3].get(context), dense.subarray(v * vocab, (v + 1) * vocab), D, dense, (vocab + i) * vocab);
    contextRow[context] = vocab + i;
  });

  const sparse: SparseContext[][] = [];
  for (let n = 4; n <= order; n++) {
    const kept: SparseContext[] = [];
    for (const [key, next] of counts[n]) {
      const sum = total(next);
      if (sum < minCount || next.size > maxNext) continue;
      const explicit = [...next].sort((a, b) => a[0] - b[0]).map(([word, c]) => ({ word, a: Math.max(c - D, 0) / sum }));
      kept.push({ key, gamma: (D * next.size) / sum, next: explicit });
    }
    sparse.push(kept.sort((a, b) => a.key - b.key));
  }
  return { vocab, order, denseRows, dense, contextRow, sparse, maxContinuations: maxNext };
}
