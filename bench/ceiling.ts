/**
 * The ORT MatMul ceiling: GFLOP/s of a large fp32 MatMul through onnxruntime-node with the same
 * session settings contam's runtime uses (intra-op threads = cores, inter-op 1, all optimisations).
 * Shape as in performance-notes.md: [512,768] x [768,3072] with a constant B, so the kernel can
 * pre-pack B exactly as it does for model weights.
 */
import { availableParallelism } from 'node:os';
import { GraphBuilder } from '../src/onnx/graph-builder.js';
import { ort } from '../src/models/onnx/session.js';
import { seededRandom } from '../src/util/random.js';
import { fillNormal } from '../test/fixtures/prng.js';

export const CEILING_SHAPE = { m: 512, k: 768, n: 3072 } as const;

export interface CeilingProbe {
  readonly threads: number;
  /** One run's GFLOP/s: the mean over `runs` back-to-back calls. */
  probe(runs?: number): Promise<number>;
  close(): Promise<void>;
}

export function matmulModel(m: number, k: number, n: number): Uint8Array {
  const g = new GraphBuilder({ name: 'ceiling', opset: 17, irVersion: 8 });
  const a = g.input('a', 'float32', [m, k]);
  const b = g.initializer('b', fillNormal(new Float32Array(k * n), 0.02, seededRandom(7)), [k, n]);
  g.op('MatMul', [a, b], {}, 'c');
  g.output('c', 'float32', [m, n]);
  return g.serialize();
}

export async function openCeiling(threads = Math.max(1, availableParallelism())): Promise<CeilingProbe> {
  const { m, k, n } = CEILING_SHAPE;
  const session = await ort.InferenceSession.create(matmulModel(m, k, n), {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 4,
    graphOptimizationLevel: 'all',
  });
  const input = new ort.Tensor('float32', fillNormal(new Float32Array(m * k), 1, seededRandom(11)), [m, k]);
  const flops = 2 * m * k * n;
  await session.run({ a: input });
  return {
    threads,
    async probe(runs = 20) {
      const started = performance.now();
      for (let i = 0; i < runs; i++) await session.run({ a: input });
      const seconds = (performance.now() - started) / 1000;
      return (runs * flops) / seconds / 1e9;
    },
    close: () => session.release(),
  };
}
