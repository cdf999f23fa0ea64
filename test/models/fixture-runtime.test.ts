import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openModel } from '../../src/models/onnx/open.js';
import { gpt2FixtureWeights, writeGpt2Fixture, type Gpt2FixtureOptions } from '../fixtures/gpt2-fixture.js';
import { expectedStats as expected, gpt2Forward } from '../helpers/fixture-forward.js';
import { maxAbsDiff } from './kv-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'contam-runtime-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runtime on fixture models written by our own code', () => {
  const cases: [string, Gpt2FixtureOptions][] = [
    ['optimum KV names, in-graph head', { kvConvention: 'optimum', std: 0.2, seed: 3 }],
    ['stacked past_N, external data', { kvConvention: 'stacked', std: 0.2, seed: 4, externalData: true }],
    ['no KV cache at all', { kvConvention: 'none', std: 0.2, seed: 5 }],
  ];
  for (const [name, options] of cases) {
    it(`${name}: log-probs, mean and std equal an independent TypeScript forward pass (<= 1e-4)`, async () => {
      const dir = join(root, name.replace(/\W+/g, '-'));
      await writeGpt2Fixture(dir, options);
      const weights = gpt2FixtureWeights(options);
      const model = await openModel(dir);
      try {
        expect(model.opened.hasHead).toBe(true);
        const texts = ['the water is very old and good .', 'what kind of animal can you see near the house ?'];
        const scores = await model.scoreTexts(texts);
        for (const s of scores) {
          const ids = [...s.ids];
          const want = expected(gpt2Forward(weights, ids), ids);
          expect(maxAbsDiff(s.logprob, want.lp)).toBeLessThanOrEqual(1e-4);
          expect(maxAbsDiff(s.mean, want.mean)).toBeLessThanOrEqual(1e-4);
          expect(maxAbsDiff(s.std, want.std)).toBeLessThanOrEqual(1e-4);
        }
      } finally {
        await model.close();
      }
    });
  }

  it('scores texts longer than the context in rolling windows, each token once', async () => {
    const options: Gpt2FixtureOptions = { kvConvention: 'optimum', std: 0.2, seed: 6, context: 16 };
    const dir = join(root, 'short-context');
    await writeGpt2Fixture(dir, options);
    const model = await openModel(dir);
    try {
      const text = Array.from({ length: 40 }, (_, i) => ['the', 'water', 'is', 'old', 'and', 'good'][i % 6]).join(' ');
      const [s] = await model.scoreTexts([text]);
      expect(s.ids).toHaveLength(40);
      expect(Array.from(s.logprob.slice(1)).every(Number.isFinite)).toBe(true);
      // The first window is an ordinary full pass over the first 16 tokens.
      const weights = gpt2FixtureWeights(options);
      const head = [...s.ids.slice(0, 16)];
      const want = expected(gpt2Forward(weights, head), head);
      expect(maxAbsDiff(s.logprob.slice(0, 16), want.lp)).toBeLessThanOrEqual(1e-4);
      // A later token is predicted from the 8 tokens before it (stride = context / 2) plus the window start.
      const t = 30;
      const windowStart = 32 - 16;
      const window = [...s.ids.slice(windowStart, 32)];
      const w = expected(gpt2Forward(weights, window), window);
      expect(Math.abs(s.logprob[t] - w.lp[t - windowStart])).toBeLessThanOrEqual(1e-4);
    } finally {
      await model.close();
    }
  });

  for (const kvConvention of ['optimum', 'stacked'] as const) {
    it(`${kvConvention} KV: a text longer than the token budget goes in segments through the cache, equal to one pass (<= 1e-4)`, async () => {
      const options: Gpt2FixtureOptions = { kvConvention, std: 0.2, seed: 8 };
      const dir = join(root, `segments-${kvConvention}`);
      await writeGpt2Fixture(dir, options);
      const model = await openModel(dir, { tokenBudget: 8 });
      try {
        const positions: number[] = [];
        const run = model.opened.session.run.bind(model.opened.session);
        (model.opened.session as { run: unknown }).run = (feeds: Record<string, { dims: readonly number[] }>, ...rest: unknown[]) => {
          positions.push(feeds.input_ids.dims[0] * feeds.input_ids.dims[1]);
          return (run as (...a: unknown[]) => unknown)(feeds, ...rest);
        };
        const text = Array.from({ length: 30 }, (_, i) => ['the', 'water', 'is', 'old', 'and', 'good', 'near', 'house'][(i * 3) % 8]).join(' ');
        const [s] = await model.scoreTexts([text]);
        expect(s.ids.length).toBe(30);
        const ids = [...s.ids];
        const want = expected(gpt2Forward(gpt2FixtureWeights(options), ids), ids);
        expect(maxAbsDiff(s.logprob, want.lp)).toBeLessThanOrEqual(1e-4);
        expect(maxAbsDiff(s.mean, want.mean)).toBeLessThanOrEqual(1e-4);
        expect(maxAbsDiff(s.std, want.std)).toBeLessThanOrEqual(1e-4);
        // After the one-off 12-token checks (one per way of segmenting), no forward pass took more than the budget's 8 positions.
        expect(positions.slice(positions.lastIndexOf(12) + 1).every((p) => p <= 8)).toBe(true);
        expect(positions.filter((p) => p <= 8).length).toBeGreaterThanOrEqual(4);
        // The window's cache comes from the model's K/V pool, which sampling then fills with its
        // rows: the slots a pass must not see stay behind the mask, so scoring again gives the same numbers.
        await model.sampleIds(ids.slice(0, 6), { n: 3, maxNewTokens: 20, minNewTokens: 20, temperature: 1, topK: 5, seed: 1 });
        const [again] = await model.scoreTexts([text]);
        expect(maxAbsDiff(again.logprob, s.logprob)).toBeLessThanOrEqual(1e-6);
        expect(maxAbsDiff(again.std, s.std)).toBeLessThanOrEqual(1e-6);
        // Texts within the budget still go together in one batch, each fed up to its last token but one
        // (the last is only a target): two rows of 2 positions, not of 3.
        positions.length = 0;
        await model.scoreTexts(['the water', 'is old and', 'good']);
        expect(positions).toEqual([4]);
      } finally {
        await model.close();
      }
    });
  }

  it('a graph without a KV cache scores a long text in one pass', async () => {
    const options: Gpt2FixtureOptions = { kvConvention: 'none', std: 0.2, seed: 9 };
    const dir = join(root, 'segments-none');
    await writeGpt2Fixture(dir, options);
    const model = await openModel(dir, { tokenBudget: 8 });
    try {
      const [s] = await model.scoreTexts(['the water is very old and good near the house , the water is old .']);
      const ids = [...s.ids];
      expect(ids.length).toBeGreaterThan(8);
      expect(maxAbsDiff(s.logprob, expected(gpt2Forward(gpt2FixtureWeights(options), ids), ids).lp)).toBeLessThanOrEqual(1e-4);
    } finally {
      await model.close();
    }
  });

  it('refuses a graph without logits, saying what it found and what it needs', async () => {
    const dir = join(root, 'no-logits');
    await writeGpt2Fixture(dir, { withLogits: false });
    await expect(openModel(dir)).rejects.toThrow(
      /^model .*no-logits: not a causal LM contam can score: the graph has no logits output \[batch, sequence, vocab\] \(inputs: input_ids int64\[batch_size,sequence_length\], .*; outputs: last_hidden_state float32\[batch_size,sequence_length,64\].*\)$/,
    );
  });

  it('reports NaN logits as a model output error instead of a number', async () => {
    const dir = join(root, 'nan');
    await writeGpt2Fixture(dir, { nanLogits: { fromPosition: 3 } });
    const model = await openModel(dir);
    try {
      await expect(model.scoreTexts(['the water is very old and good .'])).rejects.toThrow('the model produced non-finite log-probs (NaN or Infinity) at token 4');
    } finally {
      await model.close();
    }
  });
});
