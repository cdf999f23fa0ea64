/**
 * Log-softmax statistics of one logit row, in JS: the fallback when the scoring head cannot be
 * appended to a graph, and the reference the head is tested against. Float64 accumulation.
 */
export interface RowStats {
  logprob: number;
  mean: number;
  std: number;
}

export function rowStats(logits: Float32Array, offset: number, vocab: number, target: number): RowStats {
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) if (logits[offset + v] > max) max = logits[offset + v];
  let z = 0;
  for (let v = 0; v < vocab; v++) z += Math.exp(logits[offset + v] - max);
  const logZ = max + Math.log(z);
  let mean = 0;
  for (let v = 0; v < vocab; v++) {
    const lp = logits[offset + v] - logZ;
    mean += Math.exp(lp) * lp;
  }
  let variance = 0;
  for (let v = 0; v < vocab; v++) {
    const lp = logits[offset + v] - logZ;
    variance += Math.exp(lp) * (lp - mean) ** 2;
  }
  return { logprob: logits[offset + target] - logZ, mean, std: Math.sqrt(variance) };
}

/** Indices of the k largest values of one row, largest first (ties: lower index first). */
export function topK(logits: Float32Array, offset: number, vocab: number, k: number): { values: number[]; indices: number[] } {
  const idx: number[] = [];
  for (let v = 0; v < vocab; v++) {
    const x = logits[offset + v];
    if (idx.length < k || x > logits[offset + idx[idx.length - 1]]) {
      let pos = idx.length;
      while (pos > 0 && logits[offset + idx[pos - 1]] < x) pos--;
      idx.splice(pos, 0, v);
      if (idx.length > k) idx.pop();
    }
  }
  return { values: idx.map((i) => logits[offset + i]), indices: idx };
}
