import { describe, expect, it } from 'vitest';
import { defaultTokenBudget } from '../../src/models/onnx/open.js';

describe('the default token budget of a scoring pass', () => {
  it("is an eighth of the weights in fp32 logits, 4 to 48 MiB, in multiples of 64 positions from 128 to 4,096", () => {
    // GPT-2 small (498 MB of files, 50,257 vocabulary): 48 MiB is 250.4 positions, rounded to 256.
    expect(defaultTokenBudget(497_931_203, 50_257)).toBe(256);
    // gpt2-mini (65 MB): 40 positions by the eighth, raised to the 128 floor.
    expect(defaultTokenBudget(65_255_098, 50_257)).toBe(128);
    // A 7B model in fp16 with a 32,000 vocabulary: 48 MiB is 393 positions, rounded to 384.
    expect(defaultTokenBudget(13_500_000_000, 32_000)).toBe(384);
    // A model of 150 MB with a 32,000 vocabulary: 18.75 MB is 146 positions, rounded to 128.
    expect(defaultTokenBudget(150_000_000, 32_000)).toBe(128);
    // A tiny vocabulary: 4 MiB would be 10,486 positions; at most 4,096.
    expect(defaultTokenBudget(1_000_000, 100)).toBe(4096);
  });
});
