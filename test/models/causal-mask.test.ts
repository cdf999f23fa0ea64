/**
 * The causal-mask rewrite (graph-causal-mask.ts) on a graph that builds its attention bias the way
 * onnxruntime-genai's model builder does: a [seq, seq] triangle expanded to [batch, 1, seq, total].
 * The real export with this subgraph (tiny Llama fp16) is covered in shared-exports.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { encodeGraphPatch } from '../../src/onnx/proto.js';
import { planCausalMask } from '../../src/models/onnx/graph-causal-mask.js';
import { hideNode } from '../../src/models/onnx/graph-edit.js';

const root = mkdtempSync(join(tmpdir(), 'contam-mask-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILL = -65504;
const sessionOptions = { intraOpNumThreads: 1, logSeverityLevel: 4 } as const;

/** input_ids [b, s] and attention_mask [b, t] -> bias [b, 1, s, t], as the builder's input_ids_subgraph makes it. */
function builderStyleMask(): Uint8Array {
  const g = new GraphBuilder({ name: 'mask', opset: 17, irVersion: 8 });
  g.input('input_ids', 'int64', ['b', 's']);
  g.input('attention_mask', 'int64', ['b', 't']);
  const i64 = (values: number[], dims: number[] = [values.length]) => g.constInt64(values, dims);
  const dim = (of: string, axis: number) => g.op('Gather', [g.op('Shape', [of]), i64([axis], [])], { axis: { int: 0 } });
  const b = dim('input_ids', 0);
  const s = dim('input_ids', 1);
  const t = dim('attention_mask', 1);
  const vec = (x: string) => g.op('Unsqueeze', [x, i64([0])]);
  const fill = g.op('ConstantOfShape', [g.op('Concat', [vec(s), vec(s)], { axis: { int: 0 } })], { value: { tensor: { data: Float32Array.of(FILL), dims: [1] } } });
  const range = g.op('Range', [i64([0], []), s, i64([1], [])]);
  const limit = g.op('Reshape', [g.op('Add', [range, i64([1], [])]), i64([-1, 1])]);
  const triangle = g.op('Where', [g.op('Less', [range, limit]), g.constFloat([0], []), fill]);
  const wide = g.op('Unsqueeze', [g.op('Unsqueeze', [triangle, i64([0])]), i64([1])]);
  const shape = g.op('Concat', [vec(b), i64([1]), vec(s), vec(t)], { axis: { int: 0 } });
  g.op('Expand', [wide, shape], {}, 'bias');
  g.output('bias', 'float32', ['b', 1, 's', 't']);
  return g.serialize();
}

function feeds(batch: number, seq: number, total: number): Record<string, ort.Tensor> {
  return {
    input_ids: new ort.Tensor('int64', new BigInt64Array(batch * seq), [batch, seq]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * total).fill(1n), [batch, total]),
  };
}

/** What the bias must be: new position i (at total - seq + i) sees key j when j <= total - seq + i. */
function expected(batch: number, seq: number, total: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < batch; r++) for (let i = 0; i < seq; i++) for (let j = 0; j < total; j++) out.push(j <= total - seq + i ? 0 : FILL);
  return out;
}

describe('causal mask after a past', () => {
  let original: ort.InferenceSession;
  let patched: ort.InferenceSession;
  beforeAll(async () => {
    const bytes = builderStyleMask();
    const originalPath = join(root, 'original.onnx');
    writeFileSync(originalPath, bytes);
    original = await ort.InferenceSession.create(originalPath, sessionOptions);
    const model = new Uint8Array(readFileSync(originalPath));
    const plan = planCausalMask(model);
    expect(plan?.hide).toHaveLength(1);
    for (const at of plan!.hide) hideNode(model, at);
    const patch = new GraphBuilder({ nodeName: (_, outputs) => `contam/${outputs[0]}` });
    plan!.build(patch);
    const patchedPath = join(root, 'patched.onnx');
    writeFileSync(patchedPath, Buffer.concat([model, encodeGraphPatch(patch.graph())]));
    patched = await ort.InferenceSession.create(patchedPath, sessionOptions);
  });
  afterAll(async () => {
    await original?.release();
    await patched?.release();
  });

  it('the builder-style graph itself refuses several new tokens after a past', async () => {
    await expect(original.run(feeds(2, 3, 7))).rejects.toThrow(/expand/i);
  });

  it('after the rewrite, several new tokens after a past get the triangle shifted by the past', async () => {
    const { bias } = await patched.run(feeds(2, 3, 7));
    expect(bias.dims).toEqual([2, 1, 3, 7]);
    expect(Array.from(bias.data as Float32Array)).toEqual(expected(2, 3, 7));
  });

  it('with no past, and for one new token, the bias is the export’s own', async () => {
    for (const [seq, total] of [
      [5, 5],
      [1, 6],
    ]) {
      const mine = await patched.run(feeds(2, seq, total));
      const theirs = await original.run(feeds(2, seq, total));
      expect(mine.bias.dims).toEqual(theirs.bias.dims);
      expect(Array.from(mine.bias.data as Float32Array)).toEqual(Array.from(theirs.bias.data as Float32Array));
      expect(Array.from(mine.bias.data as Float32Array)).toEqual(expected(2, seq, total));
    }
  });

  it('leaves a graph without the pattern alone', () => {
    const g = new GraphBuilder({ name: 'plain', opset: 17, irVersion: 8 });
    g.input('x', 'float32', [1, 'n']);
    g.op('Expand', ['x', g.constInt64([2, 1])], {}, 'y');
    g.output('y', 'float32', [2, 'n']);
    expect(planCausalMask(g.serialize())).toBeUndefined();
  });
});
