/**
 * Reading a scoring pass: what it fetches, and the numbers at one flat position of its outputs,
 * from the head's per-position outputs or, without the head, from the logits in JS.
 */
import { asFloat32 } from './half.js';
import { rowStats } from './logit-stats.js';
import { HEAD, type ort, type OpenedSession } from './session.js';

/** Per-position numbers as records keep them (TokenScores has these three arrays). */
export interface PositionScores {
  readonly logprob: Float64Array;
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

export function scoreFetch(s: OpenedSession): string[] {
  return s.hasHead ? [HEAD.logprob, HEAD.mean, HEAD.std] : ['logits'];
}

/** Copies the numbers of flat position p (row x width + column), predicting `target`, into `into` at `at`. */
export type PositionReader = (p: number, target: number, into: PositionScores, at: number) => void;

export function positionReader(s: OpenedSession, out: ort.InferenceSession.ReturnType): PositionReader {
  if (s.hasHead) {
    const lp = out[HEAD.logprob].data as Float32Array;
    const mean = out[HEAD.mean].data as Float32Array;
    const std = out[HEAD.std].data as Float32Array;
    return (p, _target, into, at) => {
      into.logprob[at] = lp[p];
      into.mean[at] = mean[p];
      into.std[at] = std[p];
    };
  }
  const logits = asFloat32(out.logits.data);
  const vocab = out.logits.dims[2] as number;
  return (p, target, into, at) => {
    const stats = rowStats(logits, p * vocab, vocab, target);
    into.logprob[at] = stats.logprob;
    into.mean[at] = stats.mean;
    into.std[at] = stats.std;
  };
}
