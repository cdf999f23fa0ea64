/**
 * Seeded GPT-2 weights for fixture models, under Hugging Face GPT-2 tensor names and layouts
 * (Conv1D weights are [in, out]). Initialisation follows GPT-2 (Radford et al. 2019, section 2.3,
 * and transformers' GPT2PreTrainedModel): N(0, 0.02), residual projections scaled by 1/sqrt(2 * layers),
 * LayerNorm gamma 1 and beta 0. One departure: biases are N(0, std) rather than 0, so that tests
 * notice a bias wired to the wrong place.
 * Each tensor draws from its own stream (seed + name), so a tensor does not depend on generation order.
 */
import { fillNormal, hashString, mulberry32 } from './prng.js';

export interface Gpt2Dims {
  readonly layers: number;
  readonly width: number;
  readonly heads: number;
  readonly headDim: number;
  readonly vocab: number;
  readonly context: number;
  readonly seed: number;
  /** Standard deviation of the weights (GPT-2: 0.02). */
  readonly std: number;
}

export interface FixtureTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export function layerTensorName(layer: number, suffix: string): string {
  return `transformer.h.${layer}.${suffix}`;
}

function normal(dims: Gpt2Dims, name: string, shape: readonly number[], std: number): FixtureTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = fillNormal(new Float32Array(size), std, mulberry32(hashString(name, dims.seed)));
  return { name, dims: shape, data };
}

function filled(name: string, shape: readonly number[], value: number): FixtureTensor {
  return { name, dims: shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(value) };
}

/**
 * Yields every tensor once, in graph order. A generator so the writer can stream GPT-2-small-sized
 * models to disk holding one tensor at a time (the largest, wte, is 154 MB at 50257 x 768).
 */
export function* gpt2FixtureTensors(dims: Gpt2Dims): Generator<FixtureTensor> {
  const { width: e, std } = dims;
  const residualStd = std / Math.sqrt(2 * dims.layers);
  yield normal(dims, 'transformer.wte.weight', [dims.vocab, e], std);
  yield normal(dims, 'transformer.wpe.weight', [dims.context, e], std);
  for (let layer = 0; layer < dims.layers; layer++) {
    const name = (suffix: string): string => layerTensorName(layer, suffix);
    yield filled(name('ln_1.weight'), [e], 1);
    yield filled(name('ln_1.bias'), [e], 0);
    yield normal(dims, name('attn.c_attn.weight'), [e, 3 * e], std);
    yield normal(dims, name('attn.c_attn.bias'), [3 * e], std);
    yield normal(dims, name('attn.c_proj.weight'), [e, e], residualStd);
    yield normal(dims, name('attn.c_proj.bias'), [e], std);
    yield filled(name('ln_2.weight'), [e], 1);
    yield filled(name('ln_2.bias'), [e], 0);
    yield normal(dims, name('mlp.c_fc.weight'), [e, 4 * e], std);
    yield normal(dims, name('mlp.c_fc.bias'), [4 * e], std);
    yield normal(dims, name('mlp.c_proj.weight'), [4 * e, e], residualStd);
    yield normal(dims, name('mlp.c_proj.bias'), [e], std);
  }
  yield filled('transformer.ln_f.weight', [e], 1);
  yield filled('transformer.ln_f.bias', [e], 0);
}
