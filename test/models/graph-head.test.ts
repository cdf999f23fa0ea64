/**
 * The scoring head computes its numbers a chunk of positions at a time (graph-head.ts statsBranch).
 * A graph whose logits are its input lets the test feed known logits and check every position
 * against the formulas in float64: passes shorter than a chunk, a whole number of chunks, and a
 * short last chunk, over several rows.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { HEAD, headPatch } from '../../src/models/onnx/graph-head.js';
import { ort } from '../../src/models/onnx/session.js';
import { seededRandom } from '../../src/util/random.js';

const VOCAB = 37;

async function logitsModel(opset: number, chunkRows: number): Promise<ort.InferenceSession> {
  const g = new GraphBuilder({ opset });
  g.input('x', 'float32', ['batch_size', 'sequence_length', VOCAB]);
  g.op('Identity', ['x'], {}, 'logits');
  g.output('logits', 'float32', ['batch_size', 'sequence_length', VOCAB]);
  const model = g.serialize();
  const patch = headPatch({ logitsName: 'logits', logitsFp16: false, vocab: VOCAB, chunkRows });
  const bytes = new Uint8Array(model.length + patch.length);
  bytes.set(model);
  bytes.set(patch, model.length);
  return ort.InferenceSession.create(bytes, { logSeverityLevel: 4 });
}

/** log p(target), and the mean and standard deviation of log p under p, from one row of logits. */
function expected(row: Float32Array, target: number): [number, number, number] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
  const lsm = Array.from(row, (x) => x - lse);
  const mean = lsm.reduce((a, l) => a + Math.exp(l) * l, 0);
  const variance = lsm.reduce((a, l) => a + Math.exp(l) * (l - mean) ** 2, 0);
  return [lsm[target], mean, Math.sqrt(variance)];
}

describe('the scoring head, in chunks of positions', () => {
  for (const opset of [11, 17]) {
    for (const [batch, seq] of [
      [1, 2],
      [1, 9],
      [2, 6],
      [3, 7],
    ]) {
      it(`opset ${opset}, ${batch} x ${seq} positions in chunks of 4: every position equals the formula`, async () => {
        const session = await logitsModel(opset, 4);
        const random = seededRandom(batch * 100 + seq);
        const x = Float32Array.from({ length: batch * seq * VOCAB }, () => (random() - 0.5) * 12);
        const targets = BigInt64Array.from({ length: batch * seq }, () => BigInt(Math.floor(random() * VOCAB)));
        const out = await session.run({
          x: new ort.Tensor('float32', x, [batch, seq, VOCAB]),
          [HEAD.targetIds]: new ort.Tensor('int64', targets, [batch, seq, 1]),
          [HEAD.topK]: new ort.Tensor('int64', BigInt64Array.of(3n), [1]),
          [HEAD.score]: new ort.Tensor('bool', Uint8Array.of(1), [1]),
        });
        expect(out[HEAD.logprob].dims).toEqual([batch, seq, 1]);
        const got = [out[HEAD.logprob], out[HEAD.mean], out[HEAD.std]].map((t) => t.data as Float32Array);
        for (let i = 0; i < batch * seq; i++) {
          const want = expected(x.subarray(i * VOCAB, (i + 1) * VOCAB), Number(targets[i]));
          want.forEach((w, k) => expect(Math.abs(got[k][i] - w)).toBeLessThan(1e-5));
        }
        await session.release();
      });
    }
  }
});
