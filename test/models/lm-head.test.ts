/**
 * The LM head's MatMul moved into the scoring head (graph-lm-head.ts). A graph `logits =
 * MatMul(hidden, W)` whose hidden states are its input lets the test feed known rows and check, in
 * float64 from hidden x W, every position's numbers (scoring passes, across chunk boundaries) and
 * the last position's top k (sampling passes), for W as stored [width, vocab] and as a Transpose of
 * [vocab, width] (GPT-2's tied embedding). The real fp16 export (tiny Llama) is covered in
 * shared-exports.test.ts, and every fixture model of the other tests takes this path.
 */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { HEAD, headPatch } from '../../src/models/onnx/graph-head.js';
import { LM_HEAD_MAX_BYTES, planLmHead } from '../../src/models/onnx/graph-lm-head.js';
import { hideNode, hideOutput } from '../../src/models/onnx/graph-edit.js';
import { ort } from '../../src/models/onnx/session.js';
import { seededRandom } from '../../src/util/random.js';

const WIDTH = 6;
const VOCAB = 37;

interface Built {
  readonly model: Uint8Array;
  /** W as [width, vocab], row-major. */
  readonly w: Float32Array;
}

function lmGraph(options: { transposed?: boolean; vocab?: number; width?: number; bias?: boolean; perm?: number[] } = {}): Built {
  const vocab = options.vocab ?? VOCAB;
  const width = options.width ?? WIDTH;
  const random = seededRandom(vocab + width);
  const w = Float32Array.from({ length: width * vocab }, () => (random() - 0.5) * 4);
  const g = new GraphBuilder({ opset: 17 });
  g.input('hidden', 'float32', ['batch_size', 'sequence_length', width]);
  let weight: string;
  if (options.transposed) {
    const stored = new Float32Array(vocab * width);
    for (let d = 0; d < width; d++) for (let v = 0; v < vocab; v++) stored[v * width + d] = w[d * vocab + v];
    g.initializer('wte', stored, [vocab, width]);
    weight = g.op('Transpose', ['wte'], { perm: { ints: options.perm ?? [1, 0] } }, 'wte_t');
  } else {
    weight = g.initializer('lm_w', w, [width, vocab]);
  }
  if (options.bias) {
    const product = g.op('MatMul', ['hidden', weight], {}, 'product');
    g.op('Add', [product, g.constFloat(new Array(vocab).fill(0.5))], {}, 'logits');
  } else {
    g.op('MatMul', ['hidden', weight], {}, 'logits');
  }
  g.output('logits', 'float32', ['batch_size', 'sequence_length', vocab]);
  return { model: g.serialize(), w };
}

/** The graph with its LM head moved into the head, as session.ts opens it. */
async function moved(built: Built, chunkRows: number): Promise<ort.InferenceSession> {
  const plan = planLmHead(built.model, 'logits', VOCAB);
  if (!plan) throw new Error('no plan');
  hideNode(built.model, plan.node);
  hideOutput(built.model, plan.output);
  const patch = headPatch({ logitsName: 'logits', logitsFp16: false, vocab: VOCAB, chunkRows, lmHead: plan });
  const bytes = new Uint8Array(built.model.length + patch.length);
  bytes.set(built.model);
  bytes.set(patch, built.model.length);
  return ort.InferenceSession.create(bytes, { logSeverityLevel: 4 });
}

function logitsRow(hidden: Float32Array, at: number, w: Float32Array): number[] {
  const row: number[] = [];
  for (let v = 0; v < VOCAB; v++) {
    let sum = 0;
    for (let d = 0; d < WIDTH; d++) sum += hidden[at * WIDTH + d] * w[d * VOCAB + v];
    row.push(sum);
  }
  return row;
}

/** log p(target), and the mean and standard deviation of log p under p, in float64. */
function expected(row: number[], target: number): [number, number, number] {
  const max = Math.max(...row);
  const lse = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
  const lsm = row.map((x) => x - lse);
  const mean = lsm.reduce((a, l) => a + Math.exp(l) * l, 0);
  const variance = lsm.reduce((a, l) => a + Math.exp(l) * (l - mean) ** 2, 0);
  return [lsm[target], mean, Math.sqrt(variance)];
}

function feeds(hidden: Float32Array, batch: number, seq: number, targets: BigInt64Array | undefined, k: number): Record<string, ort.Tensor> {
  return {
    hidden: new ort.Tensor('float32', hidden, [batch, seq, WIDTH]),
    [HEAD.targetIds]: new ort.Tensor('int64', targets ?? new BigInt64Array(batch * seq), [batch, seq, 1]),
    [HEAD.topK]: new ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]),
    [HEAD.score]: new ort.Tensor('bool', Uint8Array.of(targets ? 1 : 0), [1]),
  };
}

describe('the LM head moved into the scoring head', () => {
  it('plans a MatMul by a small W, stored either way, and leaves other heads alone', () => {
    expect(planLmHead(lmGraph().model, 'logits', VOCAB)).toMatchObject({ hidden: 'hidden', weight: 'lm_w', fp16: false });
    expect(planLmHead(lmGraph({ transposed: true }).model, 'logits', VOCAB)).toMatchObject({ hidden: 'hidden', weight: 'wte_t' });
    expect(planLmHead(lmGraph({ bias: true }).model, 'logits', VOCAB)).toBeUndefined();
    expect(planLmHead(lmGraph().model, 'logits', VOCAB + 1)).toBeUndefined();
    // A W larger than LM_HEAD_MAX_BYTES keeps the export's MatMul: each chunk would read it again.
    const width = Math.ceil(LM_HEAD_MAX_BYTES / (4 * 1024)) + 1;
    expect(planLmHead(lmGraph({ vocab: 1024, width }).model, 'logits', 1024)).toBeUndefined();
    expect(planLmHead(lmGraph({ vocab: 1024, width: width - 2 }).model, 'logits', 1024)).toBeDefined();
  });

  for (const transposed of [false, true]) {
    for (const [batch, seq] of [
      [1, 3],
      [2, 4],
      [3, 7],
    ]) {
      it(`${transposed ? 'W transposed' : 'W as stored'}, ${batch} x ${seq} positions in chunks of 4: every position and the last top k equal the formula`, async () => {
        const built = lmGraph({ transposed });
        const session = await moved(built, 4);
        expect(session.outputNames).not.toContain('logits');
        const random = seededRandom(batch * 10 + seq);
        const hidden = Float32Array.from({ length: batch * seq * WIDTH }, () => random() - 0.5);
        const targets = BigInt64Array.from({ length: batch * seq }, () => BigInt(Math.floor(random() * VOCAB)));

        const scored = await session.run(feeds(hidden, batch, seq, targets, 5));
        expect(scored[HEAD.logprob].dims).toEqual([batch, seq, 1]);
        const got = [scored[HEAD.logprob], scored[HEAD.mean], scored[HEAD.std]].map((t) => t.data as Float32Array);
        for (let i = 0; i < batch * seq; i++) {
          const want = expected(logitsRow(hidden, i, built.w), Number(targets[i]));
          want.forEach((x, k) => expect(Math.abs(got[k][i] - x)).toBeLessThan(1e-5));
        }

        const k = 5;
        const sampled = await session.run(feeds(hidden, batch, seq, undefined, k));
        expect(sampled[HEAD.topValues].dims).toEqual([batch, k]);
        const values = sampled[HEAD.topValues].data as Float32Array;
        const indices = sampled[HEAD.topIndices].data as BigInt64Array;
        for (let b = 0; b < batch; b++) {
          const row = logitsRow(hidden, b * seq + seq - 1, built.w);
          const order = row.map((x, v) => [x, v]).sort((p, q) => q[0] - p[0]);
          for (let j = 0; j < k; j++) {
            expect(Number(indices[b * k + j])).toBe(order[j][1]);
            expect(Math.abs(values[b * k + j] - order[j][0])).toBeLessThan(1e-5);
          }
        }
        await session.release();
      });
    }
  }
});
