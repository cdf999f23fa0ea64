/**
 * Rows that read one prefix's K/V in place (graph-attention.ts sharedPastName, fixed-cache.ts
 * afterShared) against rows that each hold a tiled copy of it, through the export's own attention.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel, type OpenedModel } from '../../src/models/onnx/open.js';
import { forward } from '../../src/models/onnx/forward.js';
import { FixedCache, sharedPrefixWorks } from '../../src/models/onnx/fixed-cache.js';
import { newKvName } from '../../src/models/onnx/graph-head.js';
import { KvBuffers } from '../../src/models/onnx/kv-buffers.js';
import { sampleContinuations } from '../../src/models/onnx/sampling.js';
import { HEAD, type ort } from '../../src/models/onnx/session.js';
import { kvBytesPerToken } from '../../src/models/onnx/signature.js';
import { writeGpt2Fixture, type Gpt2FixtureOptions } from '../fixtures/gpt2-fixture.js';
import { maxAbsDiff } from './kv-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'contam-shared-prefix-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Head width 16: a pass of 16 or more new positions takes the export's own products. */
const options: Gpt2FixtureOptions = { kvConvention: 'optimum', std: 0.2, seed: 33, layers: 2, width: 64, heads: 4 };
const prefix = [5, 9, 13, 2, 40, 41, 7];

describe('a prefix shared by the rows of a sampling call', () => {
  let split: OpenedModel;
  let plain: OpenedModel;
  beforeAll(async () => {
    const dir = join(root, 'optimum');
    await writeGpt2Fixture(dir, options);
    split = await openModel(dir, { splitAttention: true });
    plain = await openModel(dir, { splitAttention: false });
  });
  afterAll(async () => {
    await split?.close();
    await plain?.close();
  });

  const prefill = async (m: OpenedModel) => {
    const kv = m.opened.signature.kv!;
    const out = await forward(m.opened, { ids: [prefix], mask: [prefix.map(() => 1)], topK: 8, fetch: kv.presentNames });
    return kv.presentNames.map((n) => out[n]);
  };

  it('is used where the split attention took every layer, and nowhere else', async () => {
    expect(await sharedPrefixWorks(split.opened, split.vocabSize)).toBe(true);
    expect(await sharedPrefixWorks(plain.opened, plain.vocabSize)).toBe(false);
    const stacked = join(root, 'stacked');
    await writeGpt2Fixture(stacked, { ...options, kvConvention: 'stacked' });
    const model = await openModel(stacked);
    try {
      expect(await sharedPrefixWorks(model.opened, model.vocabSize)).toBe(false);
    } finally {
      await model.close();
    }
  });

  it('decode steps of three rows: top-k logits and new K/V equal rows holding a tiled copy of the prefix (<= 1e-5)', async () => {
    const kv = split.opened.signature.kv!;
    const steps = [
      [7, 8, 9],
      [19, 3, 60],
      [3, 3, 11],
      [44, 1, 2],
    ];
    const run = async (m: OpenedModel, share: boolean) => {
      const presents = await prefill(m);
      const cache = share ? FixedCache.afterShared(kv, presents, 3, steps.length + 1) : FixedCache.fromPrefill(kv, presents, 3, prefix.length + steps.length + 1);
      if (share) {
        // The slots of rows that share hold only new tokens: stale values there must stay hidden.
        for (const t of cache.tensors) (t.data as Float32Array).fill(7);
      }
      const seen: Float32Array[] = [];
      for (const tokens of steps) {
        const fetch = [HEAD.topValues, ...kv.presentNames.map(newKvName)];
        const out = await forward(m.opened, { ids: tokens.map((t) => [t]), mask: tokens.map(() => cache.maskRow()), past: cache.tensors, shared: cache.shared, topK: 8, fetch });
        seen.push(out[HEAD.topValues].data as Float32Array);
        const news = kv.presentNames.map((n) => out[newKvName(n)]);
        seen.push(...news.map((t) => t.data as Float32Array));
        cache.append(news);
      }
      return { seen, cache };
    };
    const shared = await run(split, true);
    const tiled = await run(plain, false);
    expect(shared.cache.tensors[0].dims[2]).toBe(steps.length + 1);
    expect(shared.cache.maskRow().length).toBe(prefix.length + steps.length + 2);
    shared.seen.forEach((x, i) => {
      expect(x.length).toBe(tiled.seen[i].length);
      expect(maxAbsDiff(x, tiled.seen[i])).toBeLessThanOrEqual(1e-5);
    });
    // And rows that disagree with each other: the test would pass on one row repeated.
    expect(maxAbsDiff(shared.seen[0].subarray(0, 8), shared.seen[0].subarray(8, 16))).toBeGreaterThan(1e-3);
  });

  it("a pass of many new positions after a shared past takes the export's products, and fetched presents hold the prefix in front", async () => {
    const kv = split.opened.signature.kv!;
    const presents = await prefill(split);
    const fresh = Array.from({ length: 18 }, (_, i) => (i * 7 + 3) % 200);
    const rows = [fresh, fresh.map((t) => (t + 1) % 200)];
    const ones = new Array(prefix.length + fresh.length).fill(1);
    const fetch = [HEAD.topValues, ...kv.presentNames];
    const empty = FixedCache.afterShared(kv, presents, 2, 0);
    const withShared = await forward(split.opened, { ids: rows, mask: [ones, ones], past: empty.tensors, shared: presents, topK: 8, fetch });
    const whole = await forward(plain.opened, { ids: rows.map((r) => [...prefix, ...r]), mask: [ones, ones], topK: 8, fetch });
    expect(maxAbsDiff(withShared[HEAD.topValues].data as Float32Array, whole[HEAD.topValues].data as Float32Array)).toBeLessThanOrEqual(1e-5);
    for (const name of kv.presentNames) {
      const got: ort.Tensor = withShared[name];
      expect(got.dims).toEqual(whole[name].dims);
      expect(maxAbsDiff(got.data as Float32Array, whole[name].data as Float32Array)).toBeLessThanOrEqual(1e-5);
    }
  });

  it('sampling draws what rows with a tiled prefix draw, and its cache holds only the new tokens', async () => {
    const o = { n: 9, maxNewTokens: 11, minNewTokens: 11, temperature: 1, topK: 30, seed: 8 };
    const kvPool = new KvBuffers();
    const ctx = { eosId: undefined, vocab: split.vocabSize, kvBudget: 2 ** 25, tokenBudget: 4096, kvPool };
    const shared = await sampleContinuations(split.opened, ctx, prefix, o);
    expect(shared).toEqual(await plain.sampleIds(prefix, o));
    expect(new Set(shared.map((r) => r.join(','))).size).toBeGreaterThan(1);
    // One batch of 9 rows x 11 slots, not 9 x (7 + 11): the pool is kept (small), so its size shows.
    expect(kvPool.bytes).toBe(o.n * o.maxNewTokens * kvBytesPerToken(split.opened.signature.kv!));
  });
});
