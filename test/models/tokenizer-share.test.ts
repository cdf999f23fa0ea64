import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/models/tokenizer.js';
import { writeGpt2Fixture } from '../fixtures/gpt2-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'contam-tokenizer-share-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('tokenizers are loaded once per content', () => {
  it('a target and a reference shipping identical tokenizer files share one instance; different files do not', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const c = join(root, 'c');
    await writeGpt2Fixture(a, { seed: 1 });
    await writeGpt2Fixture(b, { seed: 2 });
    await writeGpt2Fixture(c, { seed: 1, vocab: 300 });
    const load = (dir: string) => loadTokenizer(join(dir, 'tokenizer.json'), join(dir, 'tokenizer_config.json'), {});
    expect(load(a)).toBe(load(b));
    expect(load(a)).not.toBe(load(c));
    // Special ids gathered from other files are part of what makes two tokenizers the same.
    expect(loadTokenizer(join(a, 'tokenizer.json'), join(a, 'tokenizer_config.json'), { eos: 7 })).not.toBe(load(a));
    expect(load(a).encode('the water is old')).toEqual(load(b).encode('the water is old'));
  });
});
