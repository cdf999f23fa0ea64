/** Alternative ways of computing the same log-probs, to check the runtime against itself. */
import { forward } from '../../src/models/onnx/forward.js';
import { HEAD, type OpenedSession } from '../../src/models/onnx/session.js';

/** Prefill `k` tokens, then one token at a time through the KV cache; returns logprob per position (index 0 NaN). */
export async function incrementalLogprobs(s: OpenedSession, ids: number[], k: number): Promise<number[]> {
  const kv = s.signature.kv!;
  const fetch = [HEAD.logprob, ...kv.presentNames];
  const out: number[] = [NaN];
  let res = await forward(s, { ids: [ids.slice(0, k)], mask: [ids.slice(0, k).map(() => 1)], targets: [ids.slice(1, k + 1)], fetch });
  const lp = res[HEAD.logprob].data as Float32Array;
  for (let t = 0; t < k && t + 1 < ids.length; t++) out.push(lp[t]);
  for (let t = k; t + 1 < ids.length; t++) {
    const past = kv.presentNames.map((n) => res[n]);
    res = await forward(s, { ids: [[ids[t]]], mask: [new Array(t + 1).fill(1)], past, targets: [[ids[t + 1]]], fetch });
    out.push((res[HEAD.logprob].data as Float32Array)[0]);
  }
  return out;
}

/** One batch with every row left-padded to the longest; returns logprob per row and position. */
export async function leftPaddedLogprobs(s: OpenedSession, rows: number[][], pad: number): Promise<number[][]> {
  const width = Math.max(...rows.map((r) => r.length));
  const ids = rows.map((r) => [...new Array(width - r.length).fill(pad), ...r]);
  const mask = rows.map((r) => [...new Array(width - r.length).fill(0), ...r.map(() => 1)]);
  const targets = ids.map((r) => [...r.slice(1), pad]);
  const res = await forward(s, { ids, mask, targets, fetch: [HEAD.logprob] });
  const lp = res[HEAD.logprob].data as Float32Array;
  return rows.map((r, b) => {
    const offset = width - r.length;
    return [NaN, ...r.slice(1).map((_, t) => lp[b * width + offset + t])];
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    max = Math.max(max, Math.abs(a[i] - b[i]));
  }
  return Number.isNaN(max) ? Infinity : max;
}
