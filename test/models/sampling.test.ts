import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forward } from '../../src/models/onnx/forward.js';
import { openModel, type OpenedModel } from '../../src/models/onnx/open.js';
import { pickToken, rowsPerBatch, sampleContinuations } from '../../src/models/onnx/sampling.js';
import { seededRandom } from '../../src/util/random.js';
import type { SampleOptions } from '../../src/models/types.js';
import { kvBytesPerToken } from '../../src/models/onnx/signature.js';
import { HEAD } from '../../src/models/onnx/session.js';
import { hasSharedData, sharedDataNote, sharedPath } from '../helpers/shared-data.js';

/** Greedy decoding the slow way: the whole sequence each step, no KV cache, top-1 of the last position. */
async function greedyNoCache(model: OpenedModel, prefix: number[], steps: number): Promise<number[]> {
  const seq = [...prefix];
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const kv = model.opened.signature.kv!;
    const res = await forward(model.opened, { ids: [seq], mask: [seq.map(() => 1)], topK: 1, fetch: [HEAD.topIndices, ...kv.presentNames.slice(0, 1)] });
    const next = Number((res[HEAD.topIndices].data as BigInt64Array)[0]);
    out.push(next);
    seq.push(next);
  }
  return out;
}

describe.skipIf(!hasSharedData)(`sampling on the real GPT-2 export${sharedDataNote}`, () => {
  let model: OpenedModel;
  const prefix = [11, 42, 7, 300, 5];
  beforeAll(async () => {
    model = await openModel(sharedPath('models/tiny-random-gpt2-fp32'), { withoutTokenizer: true });
  });
  afterAll(() => model?.close());
  const ctx = (eosId?: number, budgets: { kvBudget?: number; tokenBudget?: number } = {}) => ({ eosId, vocab: 1000, kvBudget: 2 ** 25, tokenBudget: 4096, ...budgets });

  it('temperature 0 equals greedy decoding without the cache', async () => {
    const greedy = await greedyNoCache(model, prefix, 12);
    const sampled = await sampleContinuations(model.opened, ctx(), prefix, { n: 3, maxNewTokens: 12, temperature: 0 });
    expect(sampled).toEqual([greedy, greedy, greedy]);
  });

  it('the same seed gives the same samples; another seed differs', async () => {
    const o = { n: 20, maxNewTokens: 10, temperature: 1, topK: 50, seed: 5 };
    const a = await sampleContinuations(model.opened, ctx(), prefix, o);
    const b = await sampleContinuations(model.opened, ctx(), prefix, o);
    const c = await sampleContinuations(model.opened, ctx(), prefix, { ...o, seed: 6 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((row) => row.length === 10)).toBe(true);
    // 20 draws at temperature 1 are not all identical
    expect(new Set(a.map((r) => r.join(','))).size).toBeGreaterThan(1);
  });

  it('stops at EOS (not included in the output), and min new tokens bans EOS until reached', async () => {
    // A random model's greedy path repeats one token, so take a sampled path (one row, one seed) and call
    // EOS the first token it emits for the first time after step 0.
    const o = { n: 1, maxNewTokens: 12, temperature: 1, topK: 50, seed: 11 };
    const [path] = await sampleContinuations(model.opened, ctx(), prefix, o);
    const at = path.findIndex((t, i) => i >= 1 && !path.slice(0, i).includes(t));
    expect(at).toBeGreaterThan(0);
    const eos = path[at];
    const stopped = await sampleContinuations(model.opened, ctx(eos), prefix, o);
    expect(stopped).toEqual([path.slice(0, at)]);
    const forced = await sampleContinuations(model.opened, ctx(eos), prefix, { ...o, n: 6, minNewTokens: at + 3 });
    for (const row of forced) {
      expect(row.length).toBeGreaterThanOrEqual(at + 3);
      expect(row.slice(0, at + 3)).not.toContain(eos);
    }
  });

  it('how the rows are batched never changes what is sampled (a seeded stream per row)', async () => {
    const o = { n: 12, maxNewTokens: 8, temperature: 1, topK: 50, seed: 9 };
    const together = await sampleContinuations(model.opened, ctx(), prefix, o);
    // A 1-byte cache budget: one row per batch.
    const oneByOne = await sampleContinuations(model.opened, ctx(undefined, { kvBudget: 1 }), prefix, o);
    const capacity = prefix.length + o.maxNewTokens;
    const kvBudget = 5 * capacity * kvBytesPerToken(model.opened.signature.kv!);
    expect(rowsPerBatch(model.opened.signature.kv, ctx(undefined, { kvBudget }), capacity)).toBe(5);
    const fiveRows = await sampleContinuations(model.opened, ctx(undefined, { kvBudget }), prefix, o);
    expect(oneByOne).toEqual(together);
    expect(fiveRows).toEqual(together);
    // Row i of 12 is row i of 4: the first rows do not depend on how many follow.
    expect(await sampleContinuations(model.opened, ctx(), prefix, { ...o, n: 4 })).toEqual(together.slice(0, 4));
  });

  it('a prefix longer than the token budget is prefilled in segments, with the same samples', async () => {
    const long = Array.from({ length: 23 }, (_, i) => (i * 37 + 5) % 1000);
    const o = { n: 6, maxNewTokens: 6, temperature: 1, topK: 50, seed: 4 };
    const whole = await sampleContinuations(model.opened, ctx(), long, o);
    const segmented = await sampleContinuations(model.opened, ctx(undefined, { tokenBudget: 5 }), long, o);
    expect(segmented).toEqual(whole);
    expect(await sampleContinuations(model.opened, ctx(undefined, { tokenBudget: 5 }), long, { ...o, temperature: 0 })).toEqual(
      await sampleContinuations(model.opened, ctx(), long, { ...o, temperature: 0 }),
    );
  });

  it('respects max new tokens and top-k 1 is greedy', async () => {
    const greedy = await greedyNoCache(model, prefix, 4);
    const out = await sampleContinuations(model.opened, ctx(), prefix, { n: 4, maxNewTokens: 4, temperature: 1, topK: 1, seed: 1 });
    expect(out).toEqual([greedy, greedy, greedy, greedy]);
  });
});

describe.skipIf(!hasSharedData)(`sampling text on the real Llama fp16 export${sharedDataNote}`, () => {
  it('returns n decoded continuations, reproducibly', async () => {
    const model = await openModel(sharedPath('models/tiny-random-LlamaForCausalLM-fp16'));
    try {
      const o = { n: 5, maxNewTokens: 6, minNewTokens: 1, temperature: 1, topK: 50, seed: 3 };
      const sample = async (text: string) =>
        (await model.sampleIds(model.tokenizer.encode(text), o)).map((c) => model.tokenizer.decode(c, { skipSpecialTokens: true }));
      const a = await sample('Natalia sold clips to');
      const b = await sample('Natalia sold clips to');
      expect(a).toEqual(b);
      expect(a).toHaveLength(5);
      expect(a.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    } finally {
      await model.close();
    }
  });
});

describe('decoding through the fixed-capacity KV cache (new K/V only out of onnxruntime)', () => {
  it('is used on both KV conventions, and equals greedy decoding without any cache', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { writeGpt2Fixture } = await import('../fixtures/gpt2-fixture.js');
    const { fixedCacheWorks } = await import('../../src/models/onnx/fixed-cache.js');
    const root = mkdtempSync(join(tmpdir(), 'contam-fixed-cache-'));
    try {
      for (const kvConvention of ['optimum', 'stacked'] as const) {
        const dir = join(root, kvConvention);
        await writeGpt2Fixture(dir, { kvConvention, std: 0.3, seed: 21 });
        const model = await openModel(dir);
        try {
          expect(await fixedCacheWorks(model.opened, model.vocabSize)).toBe(true);
          const prefix = model.tokenizer.encode('the water is very old and');
          const greedy = await greedyNoCache(model, prefix, 10);
          const out = await sampleContinuations(model.opened, { eosId: undefined, vocab: model.vocabSize, kvBudget: 2 ** 25, tokenBudget: 4096 }, prefix, { n: 3, maxNewTokens: 10, temperature: 0 });
          expect(out).toEqual([greedy, greedy, greedy]);
        } finally {
          await model.close();
        }
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** The sampling rule written plainly (arrays, slices, reduce): what pickToken must draw. */
function pickPlain(ids: readonly number[], values: readonly number[], o: SampleOptions, banned: number | undefined, u: number): number {
  const kept = ids.map((id, j) => [id, values[j]] as const).filter(([id]) => id !== banned);
  const temperature = o.temperature ?? 1;
  const limit = o.topK && o.topK > 0 ? o.topK : kept.length;
  if (temperature <= 0 || limit === 1) return kept[0][0];
  const top = kept.slice(0, Math.min(limit, kept.length));
  const probs = top.map(([, l]) => Math.exp((l - top[0][1]) / temperature));
  const total = probs.reduce((a, b) => a + b, 0);
  let keep = probs.length;
  let cumulative = 0;
  for (let j = 0; (o.topP ?? 1) < 1 && j < probs.length; j++) {
    cumulative += probs[j] / total;
    if (cumulative >= (o.topP ?? 1)) {
      keep = j + 1;
      break;
    }
  }
  let left = u * probs.slice(0, keep).reduce((a, b) => a + b, 0);
  for (let j = 0; j < keep; j++) {
    left -= probs[j];
    if (left < 0) return top[j][0];
  }
  return top[keep - 1][0];
}

describe('pickToken (scratch buffers, no per-row arrays)', () => {
  it('draws what the plain rule draws, over random candidates, temperatures, top-k, top-p and a banned id', () => {
    const rng = seededRandom(7);
    let checked = 0;
    for (let trial = 0; trial < 2000; trial++) {
      const k = 1 + Math.floor(rng() * 60);
      const rows = 1 + Math.floor(rng() * 4);
      // Descending logits per row, as TopK returns them; ids distinct within a row.
      const values = new Float32Array(rows * k);
      const ids = new Int32Array(rows * k);
      for (let r = 0; r < rows; r++) {
        let l = 10 * rng();
        for (let j = 0; j < k; j++) {
          l -= 3 * rng() * rng();
          values[r * k + j] = l;
          ids[r * k + j] = r * 1000 + j * 7 + 1;
        }
      }
      const row = Math.floor(rng() * rows);
      const o: SampleOptions = { n: 1, maxNewTokens: 1, temperature: [0, 0.5, 1, 1.7][trial % 4], topK: [0, 1, 5, 50][(trial >> 2) % 4], topP: [1, 0.9, 0.3][trial % 3] };
      const banned = trial % 5 === 0 && k > 1 ? ids[row * k + Math.floor(rng() * k)] : undefined;
      const u = rng();
      const expected = pickPlain(Array.from(ids.subarray(row * k, (row + 1) * k)), Array.from(values.subarray(row * k, (row + 1) * k)), o, banned, u);
      expect(pickToken({ values, ids, k }, row, o, banned, () => u)).toBe(expected);
      checked++;
    }
    expect(checked).toBe(2000);
  });
});
