/**
 * The attention that reads the past in place (graph-attention.ts) against the export's own
 * Concat(past, new) attention and against an independent TypeScript forward pass.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel, type OpenedModel } from '../../src/models/onnx/open.js';
import { forward } from '../../src/models/onnx/forward.js';
import { FixedCache } from '../../src/models/onnx/fixed-cache.js';
import { newKvName } from '../../src/models/onnx/graph-head.js';
import { planSplitAttention } from '../../src/models/onnx/graph-attention.js';
import { HEAD } from '../../src/models/onnx/session.js';
import { splitAttentionAgrees } from '../../src/models/onnx/split-check.js';
import { gpt2FixtureWeights, writeGpt2Fixture, type Gpt2FixtureOptions } from '../fixtures/gpt2-fixture.js';
import { gpt2Forward } from '../helpers/fixture-forward.js';
import { incrementalLogprobs, maxAbsDiff } from './kv-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'contam-split-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Head width 16: passes of fewer than 16 new positions after a past take the split products (token budget 12: segments of 5). */
const options: Gpt2FixtureOptions = { kvConvention: 'optimum', std: 0.2, seed: 21, layers: 2, width: 64, heads: 4 };
const dir = join(root, 'optimum');

function logSoftmax(row: Float64Array): number[] {
  const max = Math.max(...row);
  const logZ = max + Math.log(row.reduce((a, x) => a + Math.exp(x - max), 0));
  return Array.from(row, (x) => x - logZ);
}

describe('split attention', () => {
  let split: OpenedModel;
  let plain: OpenedModel;
  beforeAll(async () => {
    await writeGpt2Fixture(dir, options);
    split = await openModel(dir, { tokenBudget: 12, splitAttention: true });
    plain = await openModel(dir, { tokenBudget: 12, splitAttention: false });
  });
  afterAll(async () => {
    await split?.close();
    await plain?.close();
  });

  it('applies by default to the plain Concat pattern, however small the model, and not to a stacked past_N export', async () => {
    expect(split.opened.splitAttention).toBe(true);
    expect(plain.opened.splitAttention).toBe(false);
    const onnx = readFileSync(join(dir, 'model.onnx'));
    const presents = split.opened.signature.kv!.presentNames.map((name) => ({ name, elemType: 1 }));
    expect(planSplitAttention(onnx, presents)?.sites.map((s) => s.present)).toEqual(presents.map((p) => p.name));
    const stacked = join(root, 'stacked');
    await writeGpt2Fixture(stacked, { ...options, kvConvention: 'stacked' });
    const model = await openModel(stacked, { splitAttention: true });
    // On by default wherever the pattern is found, however small the model.
    const small = await openModel(dir);
    try {
      expect(small.opened.splitAttention).toBe(true);
      expect(model.opened.splitAttention).toBe(false);
      expect(planSplitAttention(readFileSync(join(stacked, 'model.onnx')), [{ name: 'present_0', elemType: 1 }])).toBeUndefined();
    } finally {
      await model.close();
      await small.close();
    }
  });

  it('decode steps through the fixed cache: top-k logits and new K/V equal the export attention (<= 1e-5), presents built when fetched', async () => {
    const kv = split.opened.signature.kv!;
    const prefix = [5, 9, 13, 2, 40, 41];
    const steps = [7, 19, 3];
    const run = async (m: OpenedModel) => {
      const fetch = [HEAD.topValues, HEAD.topIndices, ...kv.presentNames];
      const pre = await forward(m.opened, { ids: [prefix], mask: [prefix.map(() => 1)], topK: 8, fetch });
      const presents = kv.presentNames.map((n) => pre[n]);
      const cache = FixedCache.fromPrefill(kv, presents, 3, prefix.length + steps.length + 2);
      const seen: Float32Array[] = [pre[HEAD.topValues].data as Float32Array, ...presents.map((p) => p.data as Float32Array)];
      for (const token of steps) {
        const stepFetch = [HEAD.topValues, ...kv.presentNames.map(newKvName)];
        const out = await forward(m.opened, { ids: [[token], [token + 1], [token + 2]], mask: [0, 1, 2].map(() => cache.maskRow()), past: cache.tensors, topK: 8, fetch: stepFetch });
        seen.push(out[HEAD.topValues].data as Float32Array);
        const news = kv.presentNames.map((n) => out[newKvName(n)]);
        seen.push(...news.map((t) => t.data as Float32Array));
        cache.append(news);
      }
      return seen;
    };
    const a = await run(split);
    const b = await run(plain);
    expect(a.length).toBe(b.length);
    a.forEach((x, i) => {
      expect(x.length).toBe(b[i].length);
      expect(maxAbsDiff(x, b[i])).toBeLessThanOrEqual(1e-5);
    });
  });

  it('one token at a time with fetched presents equals the TypeScript forward pass (<= 1e-4)', async () => {
    const ids = [3, 8, 21, 34, 55, 89, 144, 233, 17, 60];
    const got = await incrementalLogprobs(split.opened, ids, 2);
    const logits = gpt2Forward(gpt2FixtureWeights(options), ids);
    const want = [NaN, ...ids.slice(1).map((id, t) => logSoftmax(logits[t])[id])];
    expect(maxAbsDiff(got.slice(1), want.slice(1))).toBeLessThanOrEqual(1e-4);
  });

  it('a long text in segments of 5 new positions after a past (the split, with a masked gap) scores as the TypeScript forward pass (<= 1e-4)', async () => {
    const text = Array.from({ length: 26 }, (_, i) => ['the', 'water', 'is', 'old', 'and', 'good', 'near', 'house'][(i * 5) % 8]).join(' ');
    // Which passes ran with a past: segments fall back to one whole pass when they disagree with it.
    const passes: [number, number][] = [];
    const session = split.opened.session as unknown as { run: (feeds: Record<string, { dims: readonly number[] }>, ...rest: unknown[]) => unknown };
    const run = session.run.bind(session);
    session.run = (feeds, ...rest) => {
      passes.push([feeds.input_ids.dims[1], feeds['past_key_values.0.key'].dims[2]]);
      return run(feeds, ...rest);
    };
    const [s] = await split.scoreTexts([text]).finally(() => (session.run = run));

    const [p] = await plain.scoreTexts([text]);
    const ids = [...s.ids];
    // The window itself went in segments of several new positions over its full-length slots (not
    // only the one-off checks, whose past is shorter).
    expect(passes.filter(([n, past]) => past === ids.length && n > 1 && n < 16).length).toBeGreaterThanOrEqual(2);
    const logits = gpt2Forward(gpt2FixtureWeights(options), ids);
    const want = [NaN, ...ids.slice(1).map((id, t) => logSoftmax(logits[t])[id])];
    expect(maxAbsDiff(s.logprob.slice(1), want.slice(1))).toBeLessThanOrEqual(1e-4);
    expect(maxAbsDiff(s.logprob, p.logprob)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(s.std, p.std)).toBeLessThanOrEqual(1e-5);
  });

  it('sampling draws the same continuations with and without the split', async () => {
    const o = { n: 12, maxNewTokens: 9, minNewTokens: 9, temperature: 1, topK: 20, seed: 5 };
    const prefix = [4, 10, 16, 22, 28];
    expect(await split.sampleIds(prefix, o)).toEqual(await plain.sampleIds(prefix, o));
  });

  it('the check at open passes on the fixture and refuses a split whose decode step disagrees with a whole pass', async () => {
    expect(await splitAttentionAgrees(split.opened, split.vocabSize)).toBe(true);
    expect(await splitAttentionAgrees(plain.opened, plain.vocabSize)).toBe(true);
    // A decode step (a pass with a past) whose top logits come out shifted, as a wrong rewrite would give.
    const session = split.opened.session as unknown as { run: (feeds: Record<string, { dims: readonly number[] }>, ...rest: unknown[]) => Promise<Record<string, { data: unknown }>> };
    const run = session.run.bind(session);
    session.run = async (feeds, ...rest) => {
      const out = await run(feeds, ...rest);
      if (feeds['past_key_values.0.key'].dims[2] > 0 && out[HEAD.topValues]) (out[HEAD.topValues].data as Float32Array)[0] += 0.01;
      return out;
    };
    try {
      expect(await splitAttentionAgrees(split.opened, split.vocabSize)).toBe(false);
    } finally {
      session.run = run;
    }
  });
});
