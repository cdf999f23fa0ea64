import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel, type OpenedModel } from '../../src/models/onnx/open.js';
import { segmentSupport } from '../../src/models/onnx/segments.js';
import { hasSharedData, sharedDataNote, sharedPath } from '../helpers/shared-data.js';
import { incrementalLogprobs, leftPaddedLogprobs, maxAbsDiff } from './kv-helpers.js';
import { seededRandom } from '../../src/util/random.js';

function randomIds(rng: () => number, n: number, below: number, first?: number): number[] {
  const ids = Array.from({ length: n }, () => 3 + Math.floor(rng() * (below - 3)));
  if (first !== undefined) ids[0] = first;
  return ids;
}

const cases = [
  { name: 'GPT-2 fp32 with past_N and contrib ops', dir: 'models/tiny-random-gpt2-fp32', tol: 1e-4, withoutTokenizer: true, vocab: 1000, segments: { slots: true, presents: true } },
  // This export's mask subgraph refused several new tokens after a past ("invalid expand shape")
  // until contam rewrote its causal triangle (graph-causal-mask.ts).
  { name: 'Llama fp16 with past_key_values', dir: 'models/tiny-random-LlamaForCausalLM-fp16', tol: 2e-2, withoutTokenizer: false, vocab: 32000, segments: { slots: true, presents: true } },
];

for (const c of cases) {
  describe.skipIf(!hasSharedData)(`real export: ${c.name}${sharedDataNote}`, () => {
    let model: OpenedModel;
    let rows: number[][];
    beforeAll(async () => {
      model = await openModel(sharedPath(c.dir), { withoutTokenizer: c.withoutTokenizer });
      const rng = seededRandom(7);
      rows = Array.from({ length: 8 }, (_, i) => randomIds(rng, 5 + i * 3, c.vocab, c.withoutTokenizer ? undefined : 1));
    });
    afterAll(() => model?.close());

    it('carries the in-graph scoring head, with the LM head moved in, and reads its KV convention', () => {
      expect(model.opened.hasHead).toBe(true);
      // Both exports' W is under 1 MB, so the head multiplies by it as it goes (graph-lm-head.ts).
      expect(model.opened.session.outputNames).not.toContain('logits');
      expect(model.opened.signature.logitsName).toBe('logits');
      expect(model.opened.signature.kv?.convention).toBe(c.withoutTokenizer ? 'stacked' : 'optimum');
    });

    it('batch of 8 equals one at a time', async () => {
      const batched = await model.scoreIds(rows);
      for (const [i, row] of rows.entries()) {
        const [single] = await model.scoreIds([row]);
        expect(maxAbsDiff(batched[i].logprob, single.logprob)).toBeLessThanOrEqual(c.tol);
        expect(maxAbsDiff(batched[i].mean, single.mean)).toBeLessThanOrEqual(c.tol);
        expect(maxAbsDiff(batched[i].std, single.std)).toBeLessThanOrEqual(c.tol);
      }
    });

    it('incremental decoding through the KV cache equals the full pass', async () => {
      const row = rows[7];
      const [full] = await model.scoreIds([row]);
      const step = await incrementalLogprobs(model.opened, row, 3);
      expect(maxAbsDiff(full.logprob, step)).toBeLessThanOrEqual(c.tol);
    });

    it('left padding equals right padding', async () => {
      const right = await model.scoreIds(rows);
      const left = await leftPaddedLogprobs(model.opened, rows, 0);
      rows.forEach((_, i) => expect(maxAbsDiff(right[i].logprob, left[i])).toBeLessThanOrEqual(c.tol));
    });

    it('a text longer than the token budget scores the same in segments', async () => {
      const small = await openModel(sharedPath(c.dir), { withoutTokenizer: c.withoutTokenizer, tokenBudget: 6 });
      try {
        const row = rows[7];
        const [whole] = await model.scoreIds([row]);
        const [parts] = await small.scoreIds([row]);
        expect(await segmentSupport(small.opened, row, 0)).toEqual(c.segments);
        expect(maxAbsDiff(whole.logprob, parts.logprob)).toBeLessThanOrEqual(c.tol);
        expect(maxAbsDiff(whole.mean, parts.mean)).toBeLessThanOrEqual(c.tol);
        expect(maxAbsDiff(whole.std, parts.std)).toBeLessThanOrEqual(c.tol);
      } finally {
        await small.close();
      }
    });

    it('the head equals a JS log-softmax over the full logits', async () => {
      const plain = await openModel(sharedPath(c.dir), { withoutTokenizer: c.withoutTokenizer, noHead: true });
      try {
        expect(plain.opened.hasHead).toBe(false);
        const a = await model.scoreIds(rows.slice(0, 3));
        const b = await plain.scoreIds(rows.slice(0, 3));
        a.forEach((x, i) => {
          expect(maxAbsDiff(x.logprob, b[i].logprob)).toBeLessThanOrEqual(c.tol);
          expect(maxAbsDiff(x.mean, b[i].mean)).toBeLessThanOrEqual(c.tol);
          expect(maxAbsDiff(x.std, b[i].std)).toBeLessThanOrEqual(c.tol);
        });
      } finally {
        await plain.close();
      }
    });
  });
}

describe.skipIf(!hasSharedData)(`real export: tokenizer checks${sharedDataNote}`, () => {
  it('GPT-2 test model with its 50k tokenizer is refused with the mismatch message', async () => {
    const dir = sharedPath('models/tiny-random-gpt2-fp32');
    await expect(openModel(dir)).rejects.toThrow(
      `model ${dir}: tokenizer and model do not match: ${dir}/tokenizer.json can emit ids up to 50294, but the model's logits cover only 1000 ids (0-999)`,
    );
  });

  it('Llama adds BOS, and scores text end to end', async () => {
    const model = await openModel(sharedPath('models/tiny-random-LlamaForCausalLM-fp16'));
    try {
      expect(model.tokenizer.addsBos).toBe(true);
      const [scores] = await model.scoreTexts(['The quick brown fox jumps over the lazy dog.']);
      expect(scores.ids[0]).toBe(1);
      expect(Number.isNaN(scores.logprob[0])).toBe(true);
      expect(scores.logprob.slice(1).every((x) => Number.isFinite(x) && x < 0)).toBe(true);
    } finally {
      await model.close();
    }
  });
});
