/**
 * An independent GPT-2 forward pass in plain TypeScript (float64), over the weights of
 * `gpt2FixtureWeights`: the reference the ONNX fixture graph is checked against. Written from
 * the GPT-2 definition (transformers' modeling_gpt2), not from the graph code, and deliberately naive.
 */
import type { Gpt2FixtureWeights } from '../fixtures/gpt2-fixture.js';

type Vector = Float64Array;

function tensor(weights: Gpt2FixtureWeights, name: string): Float32Array {
  const data = weights.tensors.get(name);
  if (data === undefined) throw new Error(`fixture weights have no tensor ${name}`);
  return data;
}

/** x [in] times W [in, out] (Conv1D layout) plus bias [out]. */
function linear(x: Vector, weight: Float32Array, bias: Float32Array): Vector {
  const out = Float64Array.from(bias);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    const row = i * out.length;
    for (let o = 0; o < out.length; o++) out[o] += xi * weight[row + o];
  }
  return out;
}

function layerNorm(x: Vector, gamma: Float32Array, beta: Float32Array): Vector {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  const scale = 1 / Math.sqrt(variance + 1e-5);
  return x.map((v, i) => (v - mean) * scale * gamma[i] + beta[i]);
}

function geluNew(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

function add(a: Vector, b: Vector): Vector {
  return a.map((v, i) => v + b[i]);
}

/**
 * Logits [position][vocab] for one unpadded sequence. `positions` default to 0..n-1;
 * every token attends to itself and all earlier tokens.
 */
export function gpt2Forward(weights: Gpt2FixtureWeights, ids: readonly number[], positions?: readonly number[]): Vector[] {
  const { width: e, heads, headDim: d, layers } = weights.dims;
  const wte = tensor(weights, 'transformer.wte.weight');
  const wpe = tensor(weights, 'transformer.wpe.weight');
  let h: Vector[] = ids.map((id, t) => {
    const p = positions?.[t] ?? t;
    return Float64Array.from({ length: e }, (_, i) => wte[id * e + i] + wpe[p * e + i]);
  });
  for (let layer = 0; layer < layers; layer++) {
    const w = (suffix: string): Float32Array => tensor(weights, `transformer.h.${layer}.${suffix}`);
    const qkv = h.map((x) => linear(layerNorm(x, w('ln_1.weight'), w('ln_1.bias')), w('attn.c_attn.weight'), w('attn.c_attn.bias')));
    const context = h.map(() => new Float64Array(e));
    for (let head = 0; head < heads; head++) {
      const q = head * d;
      const k = e + head * d;
      const v = 2 * e + head * d;
      for (let t = 0; t < h.length; t++) {
        const scores = Array.from({ length: t + 1 }, (_, j) => {
          let dot = 0;
          for (let i = 0; i < d; i++) dot += qkv[t][q + i] * qkv[j][k + i];
          return dot / Math.sqrt(d);
        });
        const max = Math.max(...scores);
        const exps = scores.map((s) => Math.exp(s - max));
        const total = exps.reduce((a, b) => a + b, 0);
        for (let j = 0; j <= t; j++) {
          for (let i = 0; i < d; i++) context[t][q + i] += (exps[j] / total) * qkv[j][v + i];
        }
      }
    }
    h = h.map((x, t) => add(x, linear(context[t], w('attn.c_proj.weight'), w('attn.c_proj.bias'))));
    h = h.map((x) => {
      const hidden = linear(layerNorm(x, w('ln_2.weight'), w('ln_2.bias')), w('mlp.c_fc.weight'), w('mlp.c_fc.bias')).map(geluNew);
      return add(x, linear(hidden, w('mlp.c_proj.weight'), w('mlp.c_proj.bias')));
    });
  }
  const vocab = weights.dims.vocab;
  return h.map((x) => {
    const final = layerNorm(x, tensor(weights, 'transformer.ln_f.weight'), tensor(weights, 'transformer.ln_f.bias'));
    const logits = new Float64Array(vocab);
    for (let token = 0; token < vocab; token++) {
      let dot = 0;
      for (let i = 0; i < e; i++) dot += final[i] * wte[token * e + i];
      logits[token] = dot;
    }
    return logits;
  });
}

/**
 * Per-token log-prob, and the mean and standard deviation of log-prob under each position's
 * next-token distribution, of float64 logits straight from the definitions (index 0 NaN).
 */
export function expectedStats(logits: readonly ArrayLike<number>[], ids: readonly number[]): { lp: number[]; mean: number[]; std: number[] } {
  const lp = [NaN];
  const mean = [NaN];
  const std = [NaN];
  for (let t = 1; t < ids.length; t++) {
    const row = Array.from(logits[t - 1]);
    const max = Math.max(...row);
    const logZ = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
    const logp = row.map((x) => x - logZ);
    const mu = logp.reduce((a, l) => a + Math.exp(l) * l, 0);
    const variance = logp.reduce((a, l) => a + Math.exp(l) * (l - mu) ** 2, 0);
    lp.push(logp[ids[t]]);
    mean.push(mu);
    std.push(Math.sqrt(variance));
  }
  return { lp, mean, std };
}
