/**
 * loadTokenizer drops the parts of tokenizer.json that @huggingface/tokenizers keeps and never reads
 * after building a BPE model (tokenizer.ts release). The tokenizer must encode and decode exactly
 * as one built from the untouched JSON: the real GPT-2 and Llama tokenizers over real benchmark
 * text, and the project's own fixture tokenizer.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/models/tokenizer.js';
import { writeGpt2Fixture } from '../fixtures/gpt2-fixture.js';
import { hasSharedData, sharedDataNote, sharedPath } from '../helpers/shared-data.js';

const root = mkdtempSync(join(tmpdir(), 'contam-tokenizer-release-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Untouched {
  encode(text: string, options: { add_special_tokens: boolean }): { ids: number[] };
  decode(ids: number[], options: { skip_special_tokens: boolean }): string;
}

function sameAsUntouched(dir: string, texts: readonly string[]): void {
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const untouched = new HfTokenizer(read('tokenizer.json'), read('tokenizer_config.json')) as unknown as Untouched;
  const ours = loadTokenizer(join(dir, 'tokenizer.json'), join(dir, 'tokenizer_config.json'), { eos: 0 });
  for (const text of texts) {
    const ids = untouched.encode(text, { add_special_tokens: true }).ids;
    expect(ours.encode(text)).toEqual(ids);
    expect(ours.decode(ids)).toBe(untouched.decode(ids, { skip_special_tokens: true }));
  }
}

function benchmarkTexts(): string[] {
  const gsm8k = readFileSync(sharedPath('benchmarks/gsm8k/test.jsonl'), 'utf8').split('\n').slice(0, 40).filter(Boolean);
  const mmlu = readFileSync(sharedPath('benchmarks/mmlu/test/anatomy_test.csv'), 'utf8').split('\n').slice(0, 40);
  return [...gsm8k, ...mmlu, 'naïve café – “quotes” 日本語 🙂 \t tabs  and   spaces'];
}

describe('a tokenizer without the JSON the library no longer reads', () => {
  it('the fixture tokenizer encodes and decodes as one built from the untouched file', async () => {
    const dir = join(root, 'fixture');
    await writeGpt2Fixture(dir, { seed: 3 });
    sameAsUntouched(dir, ['the water is old', 'an unknown wordzzz, with punctuation!']);
  });

  for (const model of ['tiny-random-gpt2-fp32', 'tiny-random-LlamaForCausalLM-fp16']) {
    it.skipIf(!hasSharedData)(`${model}: real benchmark text encodes and decodes as before${sharedDataNote}`, () => {
      sameAsUntouched(sharedPath('models', model), benchmarkTexts());
    });
  }
});
