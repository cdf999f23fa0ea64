import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { encodeGraphPatch, onnxProto } from '../../src/onnx/proto.js';

const dir = mkdtempSync(join(tmpdir(), 'contam-graph-builder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sessionOptions = { intraOpNumThreads: 2, logSeverityLevel: 4 } as const;

/** y = (x + bias) * 2, then a Gather of int64 ids from a table: covers float and int initializers. */
function buildModel(builder: GraphBuilder): void {
  const x = builder.input('x', 'float32', ['batch', 4]);
  const ids = builder.input('ids', 'int64', ['batch', 'n']);
  const bias = builder.initializer('bias', Float32Array.from([1, 2, 3, 4]), [4]);
  const table = builder.initializer('table', Float32Array.from({ length: 600 }, (_, i) => i), [300, 2]);
  const sum = builder.op('Add', [x, bias]);
  builder.op('Mul', [sum, builder.constFloat([2], [])], {}, 'y');
  builder.op('Gather', [table, ids], { axis: { int: 0 } }, 'rows');
  builder.output('y', 'float32', ['batch', 4]);
  builder.output('rows', 'float32', ['batch', 'n', 2]);
}

async function run(path: string): Promise<{ y: number[]; rows: number[] }> {
  const session = await ort.InferenceSession.create(path, sessionOptions);
  try {
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.from([0, 1, 2, 3]), [1, 4]),
      ids: new ort.Tensor('int64', BigInt64Array.from([299n, 0n]), [1, 2]),
    });
    return { y: Array.from(out.y.data as Float32Array), rows: Array.from(out.rows.data as Float32Array) };
  } finally {
    await session.release();
  }
}

describe('GraphBuilder', () => {
  it('writes a model that onnxruntime runs, with symbolic dims kept', async () => {
    const builder = new GraphBuilder({ name: 'tiny' });
    buildModel(builder);
    const path = join(dir, 'inline.onnx');
    builder.save(path);
    expect(await run(path)).toEqual({ y: [2, 6, 10, 14], rows: [598, 599, 0, 1] });
    const session = await ort.InferenceSession.create(path, sessionOptions);
    expect(session.inputNames).toEqual(['x', 'ids']);
    expect(session.outputNames).toEqual(['y', 'rows']);
    await session.release();
  });

  it('puts large initializers in an aligned external data file', async () => {
    const builder = new GraphBuilder({ externalDataPath: join(dir, 'ext.onnx.data'), externalMinBytes: 1024 });
    buildModel(builder);
    const path = join(dir, 'ext.onnx');
    builder.save(path);
    // Only `table` (2400 bytes) is large enough to go out; it starts at offset 0.
    expect(statSync(join(dir, 'ext.onnx.data')).size).toBe(2400);
    const model = onnxProto.ModelProto.toObject(onnxProto.ModelProto.decode(readFileSync(path)), { longs: Number });
    const table = model.graph.initializer.find((t: { name: string }) => t.name === 'table');
    expect(table.data_location).toBe(1);
    expect(table.external_data).toEqual([
      { key: 'location', value: 'ext.onnx.data' },
      { key: 'offset', value: '0' },
      { key: 'length', value: '2400' },
    ]);
    expect(await run(path)).toEqual({ y: [2, 6, 10, 14], rows: [598, 599, 0, 1] });
  });

  it('appends a patch graph with an If to a saved model: the model keeps its name and gains the outputs', async () => {
    const base = new GraphBuilder({ name: 'tiny' });
    buildModel(base);
    // Each branch is its own builder; both return y (from the outer scope) doubled or negated.
    const twice = new GraphBuilder({ name: 'twice' });
    twice.op('Add', ['y', 'y'], {}, 'twice_y');
    twice.output('twice_y', 'float32', [1, 4]);
    const negated = new GraphBuilder({ name: 'negated' });
    negated.op('Constant', [], { value: { tensor: { data: Float32Array.from([-1]), dims: [] } } }, 'minus_one');
    negated.op('Mul', ['y', 'minus_one'], {}, 'negated_y');
    negated.output('negated_y', 'float32', [1, 4]);
    const patch = new GraphBuilder({ nodeName: (op, outputs) => `patch/${op}/${outputs[0]}` });
    patch.input('flag', 'bool', [1]);
    patch.node('If', ['flag'], { then_branch: { graph: twice }, else_branch: { graph: negated } }, ['z']);
    patch.output('z', 'float32', [1, 4]);
    const path = join(dir, 'patched.onnx');
    writeFileSync(path, Buffer.concat([base.serialize(), encodeGraphPatch(patch.graph())]));

    const model = onnxProto.ModelProto.toObject(onnxProto.ModelProto.decode(readFileSync(path)));
    expect(model.graph.name).toBe('tiny');
    expect(model.graph.node.at(-1).name).toBe('patch/If/z');
    expect(model.graph.node.at(-1).attribute.map((a: { name: string; g: { name: string } }) => [a.name, a.g.name])).toEqual([
      ['then_branch', 'twice'],
      ['else_branch', 'negated'],
    ]);
    const session = await ort.InferenceSession.create(path, sessionOptions);
    try {
      expect(session.inputNames).toEqual(['x', 'ids', 'flag']);
      const feeds = {
        x: new ort.Tensor('float32', Float32Array.from([0, 1, 2, 3]), [1, 4]),
        ids: new ort.Tensor('int64', BigInt64Array.from([0n]), [1, 1]),
      };
      const z = async (flag: boolean) => Array.from((await session.run({ ...feeds, flag: new ort.Tensor('bool', [flag], [1]) }, ['z'])).z.data as Float32Array);
      expect(await z(true)).toEqual([4, 12, 20, 28]);
      expect(await z(false)).toEqual([-2, -6, -10, -14]);
    } finally {
      await session.release();
    }
  });
});
