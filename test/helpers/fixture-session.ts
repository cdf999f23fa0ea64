/**
 * Runs a fixture model through onnxruntime-node the way a caller would: builds int64 feeds,
 * empty or carried-over past tensors for either KV convention, and hands back logits and presents.
 */
import * as ort from 'onnxruntime-node';
import type { Gpt2Fixture } from '../fixtures/gpt2-fixture.js';

export const sessionOptions = { intraOpNumThreads: 2, logSeverityLevel: 4 } as const;

export interface FixtureStep {
  /** [batch][sequence] token ids. */
  readonly ids: readonly (readonly number[])[];
  /** [batch][past + sequence]; defaults to all ones. */
  readonly mask?: readonly (readonly number[])[];
  /** [batch][sequence]; defaults to past + 0..sequence-1. */
  readonly positions?: readonly (readonly number[])[];
  /** Outputs of the previous step to feed back as pasts; omitted means an empty past. */
  readonly previous?: ort.InferenceSession.OnnxValueMapType;
}

export interface FixtureOutputs {
  /** [batch][sequence][vocab] flattened, with its dims. */
  readonly logits: Float32Array;
  readonly dims: readonly number[];
  readonly raw: ort.InferenceSession.OnnxValueMapType;
}

function int64(rows: readonly (readonly number[])[]): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from(rows.flat(), BigInt), [rows.length, rows[0].length]);
}

function pastLength(fixture: Gpt2Fixture, previous: FixtureStep['previous']): number {
  if (previous === undefined || fixture.kvConvention === 'none') return 0;
  const name = fixture.kvConvention === 'optimum' ? 'present.0.key' : 'present_0';
  const dims = previous[name].dims;
  return dims[dims.length - 2];
}

/** Past feeds: zero-length tensors for a first step, else the previous presents under the input names. */
function pastFeeds(fixture: Gpt2Fixture, batch: number, previous: FixtureStep['previous']): Record<string, ort.Tensor> {
  const { heads, headDim, layers } = fixture.dims;
  const empty = (dims: number[]): ort.Tensor => new ort.Tensor('float32', new Float32Array(0), dims);
  const feeds: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < layers; layer++) {
    if (fixture.kvConvention === 'optimum') {
      for (const kind of ['key', 'value']) {
        feeds[`past_key_values.${layer}.${kind}`] = previous?.[`present.${layer}.${kind}`] ?? empty([batch, heads, 0, headDim]);
      }
    } else if (fixture.kvConvention === 'stacked') {
      feeds[`past_${layer}`] = previous?.[`present_${layer}`] ?? empty([2, batch, heads, 0, headDim]);
    }
  }
  return feeds;
}

export async function runFixture(session: ort.InferenceSession, fixture: Gpt2Fixture, step: FixtureStep): Promise<FixtureOutputs> {
  const batch = step.ids.length;
  const length = step.ids[0].length;
  const past = pastLength(fixture, step.previous);
  const mask = step.mask ?? step.ids.map(() => new Array<number>(past + length).fill(1));
  const positions = step.positions ?? step.ids.map(() => Array.from({ length }, (_, i) => past + i));
  const raw = await session.run({
    input_ids: int64(step.ids),
    attention_mask: int64(mask),
    position_ids: int64(positions),
    ...pastFeeds(fixture, batch, step.previous),
  });
  return { logits: raw.logits.data as Float32Array, dims: raw.logits.dims, raw };
}

/** Row `row`, position `position` of a [batch, sequence, vocab] logits tensor. */
export function logitsAt(outputs: FixtureOutputs, row: number, position: number): Float32Array {
  const [, sequence, vocab] = outputs.dims;
  const start = (row * sequence + position) * vocab;
  return outputs.logits.subarray(start, start + vocab);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
