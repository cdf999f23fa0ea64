import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gpt2FixtureWeights, writeGpt2Fixture, type Gpt2Fixture, type Gpt2FixtureOptions } from '../fixtures/gpt2-fixture.js';
import { gpt2Forward } from '../helpers/fixture-forward.js';
import { logitsAt, maxAbsDiff, runFixture, sessionOptions } from '../helpers/fixture-session.js';

/** @huggingface/tokenizers is untyped under NodeNext (see STACK.md): the part used here. */
interface HfTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
  decode(ids: number[], options?: { skip_special_tokens?: boolean }): string;
}

const root = mkdtempSync(join(tmpdir(), 'contam-gpt2-fixture-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// std 0.2, not GPT-2's 0.02: with tiny weights the network is nearly linear and a wrong gelu constant
// (0.045 for 0.044715) moves logits by 3e-7; at 0.2 it moves them by 6e-4 while fp32 error stays near 1e-6.
const small: Gpt2FixtureOptions = { layers: 2, width: 32, heads: 4, context: 32, seed: 7, std: 0.2 };
const weights = gpt2FixtureWeights(small);
const sentence = [12, 40, 7, 99, 3, 250, 18, 5, 61, 77];
const tolerance = 1e-4;

async function open(name: string, options: Gpt2FixtureOptions): Promise<{ fixture: Gpt2Fixture; session: ort.InferenceSession }> {
  const fixture = await writeGpt2Fixture(join(root, name), { ...small, ...options });
  return { fixture, session: await ort.InferenceSession.create(fixture.modelPath, sessionOptions) };
}

describe.each(['optimum', 'stacked', 'none'] as const)('GPT-2 fixture, %s KV convention', (kvConvention) => {
  let fixture: Gpt2Fixture;
  let session: ort.InferenceSession;
  beforeAll(async () => ({ fixture, session } = await open(kvConvention, { kvConvention })));
  afterAll(async () => session?.release());

  it('declares the expected interface, with batch_size named on every batch dimension', () => {
    const pasts = { optimum: ['past_key_values.0.key', 'past_key_values.0.value', 'past_key_values.1.key', 'past_key_values.1.value'], stacked: ['past_0', 'past_1'], none: [] }[kvConvention];
    expect(session.inputNames).toEqual(['input_ids', 'attention_mask', 'position_ids', ...pasts]);
    expect(session.outputNames).toEqual(['logits', ...pasts.map((n) => n.replace('past_key_values', 'present').replace('past_', 'present_'))]);
    const shapes = Object.fromEntries(session.inputMetadata.map((m) => [m.name, m.isTensor ? m.shape : []]));
    expect(shapes.input_ids).toEqual(['batch_size', 'sequence_length']);
    expect(shapes.attention_mask).toEqual(['batch_size', 'total_sequence_length']);
    if (kvConvention === 'optimum') expect(shapes['past_key_values.1.value']).toEqual(['batch_size', 4, 'past_sequence_length', 8]);
    if (kvConvention === 'stacked') expect(shapes.past_1).toEqual([2, 'batch_size', 4, 'past_sequence_length', 8]);
  });

  it('gives the logits of an independent TypeScript forward pass', async () => {
    const out = await runFixture(session, fixture, { ids: [sentence] });
    expect(out.dims).toEqual([1, sentence.length, 256]);
    const expected = gpt2Forward(weights, sentence);
    const diffs = expected.map((row, t) => maxAbsDiff(logitsAt(out, 0, t), row));
    expect(Math.max(...diffs)).toBeLessThan(tolerance);
  });

  it('gives the same logits for a left-padded row as for the row alone', async () => {
    const short = sentence.slice(0, 6);
    const pad = sentence.length - short.length;
    const mask = [sentence.map(() => 1), [...new Array<number>(pad).fill(0), ...short.map(() => 1)]];
    // position_ids as transformers computes them: cumsum(mask) - 1, with padding set to 1.
    const positions = mask.map((row) => {
      let seen = 0;
      return row.map((m) => (m === 1 ? seen++ : 1));
    });
    const ids = [sentence, [...new Array<number>(pad).fill(fixture.endOfTextId), ...short]];
    const out = await runFixture(session, fixture, { ids, mask, positions });
    const alone = gpt2Forward(weights, short);
    const padded = short.map((_, t) => maxAbsDiff(logitsAt(out, 1, pad + t), alone[t]));
    const full = gpt2Forward(weights, sentence).map((row, t) => maxAbsDiff(logitsAt(out, 0, t), row));
    expect(Math.max(...padded, ...full)).toBeLessThan(tolerance);
  });

  it.skipIf(kvConvention === 'none')('prefill then one token at a time, feeding presents back, equals the full pass', async () => {
    const full = await runFixture(session, fixture, { ids: [sentence] });
    const prefill = 4;
    let step = await runFixture(session, fixture, { ids: [sentence.slice(0, prefill)] });
    const diffs = Array.from({ length: prefill }, (_, t) => maxAbsDiff(logitsAt(step, 0, t), logitsAt(full, 0, t)));
    for (let t = prefill; t < sentence.length; t++) {
      step = await runFixture(session, fixture, { ids: [[sentence[t]]], previous: step.raw });
      expect(step.dims).toEqual([1, 1, 256]);
      diffs.push(maxAbsDiff(logitsAt(step, 0, 0), logitsAt(full, 0, t)));
    }
    const presentName = kvConvention === 'optimum' ? 'present.1.value' : 'present_1';
    expect(step.raw[presentName].dims.at(-2)).toBe(sentence.length);
    expect(Math.max(...diffs)).toBeLessThan(tolerance);
  });
});

describe('GPT-2 fixture variants', () => {
  it('writes config files and a tokenizer that @huggingface/tokenizers loads and round-trips', async () => {
    const fixture = await writeGpt2Fixture(join(root, 'files'), { ...small, kvConvention: 'none' });
    const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(fixture.dir, name), 'utf8'));
    expect(read('config.json')).toMatchObject({ model_type: 'gpt2', n_layer: 2, n_head: 4, n_embd: 32, vocab_size: 256, n_positions: 32, bos_token_id: 0, eos_token_id: 0 });
    expect(read('generation_config.json')).toEqual({ bos_token_id: 0, eos_token_id: 0 });
    const tokenizer: HfTokenizer = new Tokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
    const text = 'the model can answer the question .';
    const { ids } = tokenizer.encode(text, { add_special_tokens: true });
    expect(ids.map((id) => fixture.vocabulary[id]).join(' ')).toBe(text);
    expect(tokenizer.decode(ids, { skip_special_tokens: false })).toBe(text);
    expect(tokenizer.encode('<|endoftext|> zebra the').ids).toEqual([0, 1, fixture.vocabulary.indexOf('the')]);
    expect(tokenizer.decode([0, ...ids], { skip_special_tokens: true })).toBe(text);
  });

  it('builds word-level models from a custom vocabulary', async () => {
    const fixture = await writeGpt2Fixture(join(root, 'words'), { ...small, words: ['alpha', 'beta', 'gamma'] });
    expect(fixture.vocabulary).toEqual(['<|endoftext|>', '<unk>', 'alpha', 'beta', 'gamma']);
    const session = await ort.InferenceSession.create(fixture.modelPath, sessionOptions);
    const out = await runFixture(session, fixture, { ids: [[2, 3, 4]] });
    await session.release();
    expect(out.dims).toEqual([1, 3, 5]);
  });

  it('can leave logits out (last_hidden_state only), for the refusal path', async () => {
    const { session } = await open('no-logits', { kvConvention: 'none', withLogits: false });
    expect(session.outputNames).toEqual(['last_hidden_state']);
    await session.release();
  });

  it('spoils logits with NaN or Infinity from a given position', async () => {
    for (const value of ['nan', 'inf'] as const) {
      const { fixture, session } = await open(`bad-${value}`, { kvConvention: 'optimum', nanLogits: { fromPosition: 3, value } });
      const out = await runFixture(session, fixture, { ids: [sentence.slice(0, 5)] });
      await session.release();
      const finite = [0, 1, 2, 3, 4].map((t) => logitsAt(out, 0, t).every(Number.isFinite));
      expect(finite).toEqual([true, true, true, false, false]);
      expect(logitsAt(out, 0, 4)[0]).toBe(value === 'nan' ? NaN : Infinity);
    }
  });

  it('stores weights in model.onnx.data when asked, and the model still matches', async () => {
    const options = { ...small, std: undefined, kvConvention: 'stacked', externalData: true } as const;
    const { fixture, session } = await open('external', options);
    expect(fixture.externalDataPath).toBe(join(fixture.dir, 'model.onnx.data'));
    expect(existsSync(fixture.externalDataPath!)).toBe(true);
    expect(statSync(fixture.modelPath).size).toBeLessThan(statSync(fixture.externalDataPath!).size / 4);
    const out = await runFixture(session, fixture, { ids: [sentence] });
    await session.release();
    // Default std (0.02) here, so the GPT-2 initialisation itself is covered too.
    const diffs = gpt2Forward(gpt2FixtureWeights(options), sentence).map((row, t) => maxAbsDiff(logitsAt(out, 0, t), row));
    expect(Math.max(...diffs)).toBeLessThan(tolerance);
  });

  it('is deterministic in its seed', async () => {
    const again = gpt2FixtureWeights(small).tensors.get('transformer.h.1.mlp.c_fc.weight');
    expect(again).toEqual(weights.tensors.get('transformer.h.1.mlp.c_fc.weight'));
    const other = gpt2FixtureWeights({ ...small, seed: 8 }).tensors.get('transformer.h.1.mlp.c_fc.weight');
    expect(other).not.toEqual(again);
    const [a, b] = await Promise.all(['det-a', 'det-b'].map((name) => writeGpt2Fixture(join(root, name), small)));
    expect(readFileSync(a.modelPath).equals(readFileSync(b.modelPath))).toBe(true);
  });
});
