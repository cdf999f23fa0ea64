import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findEmbedding, lookupEmbeddings } from '../../src/models/onnx/embedding.js';
import { openModel } from '../../src/models/onnx/open.js';
import { packedVarints } from '../../src/models/onnx/protobuf-wire.js';
import { gpt2FixtureWeights, writeGpt2Fixture, type Gpt2FixtureOptions } from '../fixtures/gpt2-fixture.js';
import { hasSharedData, sharedDataNote, sharedPath } from '../helpers/shared-data.js';
import { maxAbsDiff } from './kv-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'contam-embedding-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('token embeddings read from the weight file', () => {
  it('reads dims written packed as well as one per field', () => {
    // 150 (0x96 0x01), then 5, then 50257 (0xd1 0x88 0x03)
    expect(packedVarints(Uint8Array.from([0x96, 0x01, 0x05, 0xd1, 0x88, 0x03]))).toEqual([150n, 5n, 50257n]);
  });

  const cases: [string, Gpt2FixtureOptions][] = [
    ['weights inside model.onnx', { seed: 11, std: 0.2 }],
    ['weights in model.onnx.data', { seed: 12, std: 0.2, externalData: true }],
  ];
  for (const [name, options] of cases) {
    it(`${name}: the rows read equal wte's rows, for repeated ids too`, async () => {
      const dir = join(root, name.replace(/\W+/g, '-'));
      const fixture = await writeGpt2Fixture(dir, options);
      const site = findEmbedding(readFileSync(fixture.modelPath), fixture.modelPath);
      expect(site).toBeDefined();
      if (!site) return;
      const wte = gpt2FixtureWeights(options).tensors.get('transformer.wte.weight');
      if (!wte) throw new Error('fixture has no wte');
      const { width, vocab } = fixture.dims;
      expect([site.rows, site.width, site.dtype]).toEqual([vocab, width, 'float32']);
      const ids = [
        [5, 0, vocab - 1, 5],
        [7, 7, 1, 2],
      ];
      const t = lookupEmbeddings(site, ids);
      expect(t.dims).toEqual([2, 4, width]);
      const got = t.data as Float32Array;
      ids.flat().forEach((id, i) => {
        expect(maxAbsDiff(got.subarray(i * width, (i + 1) * width), wte.subarray(id * width, (id + 1) * width))).toBe(0);
      });
      expect(() => lookupEmbeddings(site, [[vocab]])).toThrow(/token id \d+ is outside the embedding table/);
      // A second lookup is served from the rows read before (a decode step's cache): same numbers.
      const again = lookupEmbeddings(site, [[7, 5, 3], [vocab - 1, 7, 5]]).data as Float32Array;
      [7, 5, 3, vocab - 1, 7, 5].forEach((id, i) => {
        expect(maxAbsDiff(again.subarray(i * width, (i + 1) * width), wte.subarray(id * width, (id + 1) * width))).toBe(0);
      });
    });
  }

  it('an opened model feeds contam_embeds and scores exactly as the graph with its own Gather', async () => {
    const options: Gpt2FixtureOptions = { seed: 13, std: 0.2, externalData: true };
    const dir = join(root, 'compare');
    await writeGpt2Fixture(dir, options);
    const model = await openModel(dir);
    const plain = await openModel(dir, { noHead: true });
    try {
      expect(model.opened.embedding).toBeDefined();
      expect(model.opened.signature.inputs).toContain('contam_embeds');
      expect(plain.opened.embedding).toBeUndefined();
      const texts = ['the water is very old and good .', 'what kind of animal can you see near the house ?'];
      const [a, b] = [await model.scoreTexts(texts), await plain.scoreTexts(texts)];
      for (let i = 0; i < texts.length; i++) expect(maxAbsDiff(a[i].logprob, b[i].logprob)).toBeLessThanOrEqual(1e-5);
    } finally {
      await model.close();
      await plain.close();
    }
  });

  it.skipIf(!hasSharedData)(`a real export that embeds tokens in a fused op keeps it${sharedDataNote}`, async () => {
    const model = await openModel(sharedPath('models/tiny-random-gpt2-fp32'), { withoutTokenizer: true });
    try {
      expect(model.opened.embedding).toBeUndefined();
      const [s] = await model.scoreIds([[5, 17, 250, 999, 3]]);
      expect(Array.from(s.logprob.slice(1)).every(Number.isFinite)).toBe(true);
    } finally {
      await model.close();
    }
  });

  it.skipIf(!hasSharedData)(`a real fp16 export: its table is read as fp16 rows, scores as with its own Gather${sharedDataNote}`, async () => {
    const llama = sharedPath('models/tiny-random-LlamaForCausalLM-fp16');
    const model = await openModel(llama);
    const plain = await openModel(llama, { noHead: true });
    try {
      expect(model.opened.embedding?.dtype).toBe('float16');
      const [a] = await model.scoreTexts(['Hello world, this is a test.']);
      const [b] = await plain.scoreTexts(['Hello world, this is a test.']);
      expect(maxAbsDiff(a.logprob, b.logprob)).toBeLessThanOrEqual(2e-2);
    } finally {
      await model.close();
      await plain.close();
    }
  });
});
