import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../src/onnx/graph-builder.js';
import { onnxProto } from '../../src/onnx/proto.js';

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
});
