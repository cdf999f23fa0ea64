import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/errors.js';
import { ModelOutputError, type ModelBackend } from '../../src/models/backend.js';
import { openOnnxBackend } from '../../src/models/onnx/backend.js';
import { openModel } from '../../src/models/onnx/open.js';
import { writeGpt2Fixture } from '../fixtures/gpt2-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'contam-model-worker-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a local model in its own worker thread (two local models side by side)', () => {
  let here: ModelBackend;
  let there: ModelBackend;
  let dir: string;
  beforeAll(async () => {
    dir = (await writeGpt2Fixture(join(root, 'model'), { layers: 2, width: 32, heads: 2, context: 64, seed: 3 })).dir;
    here = await openOnnxBackend(dir, { threads: 1 });
    // As side by side opens it: in a worker, pool threads that block instead of spinning.
    there = await openOnnxBackend(dir, { threads: 1, worker: true, spinning: false });
  });
  afterAll(async () => {
    await here?.close();
    await there?.close();
  });

  it('opens a session whose pool threads do not spin only when asked', async () => {
    const quiet = await openModel(dir, { threads: 2, spinning: false });
    const usual = await openModel(dir, { threads: 2 });
    try {
      expect(quiet.opened.spinning).toBe(false);
      expect(usual.opened.spinning).toBe(true);
      const ids = [[5, 6, 7, 8, 9, 10]];
      expect(Array.from((await quiet.scoreIds(ids))[0].logprob)).toEqual(Array.from((await usual.scoreIds(ids))[0].logprob));
    } finally {
      await quiet.close();
      await usual.close();
    }
  });

  it('answers every call as the model opened in this thread does', async () => {
    expect(there.info()).toEqual(here.info());
    expect(there.capabilities).toEqual(here.capabilities);
    const texts = ['the cat sat on the mat', 'a dog ran'];
    const ids = await there.tokenize(texts);
    expect(ids).toEqual(await here.tokenize(texts));
    expect(await there.tokenTexts(ids[0])).toEqual(await here.tokenTexts(ids[0]));
    const scored = await there.score(ids, { distribution: true });
    const local = await here.score(ids, { distribution: true });
    expect(scored.map((s) => s.ids)).toEqual(local.map((s) => s.ids));
    scored.forEach((s, i) => {
      expect(s.logprob).toBeInstanceOf(Float64Array);
      expect(Array.from(s.logprob)).toEqual(Array.from(local[i].logprob));
      expect(Array.from(s.std)).toEqual(Array.from(local[i].std));
    });
    const options = { n: 5, maxNewTokens: 6, temperature: 1, topK: 20, seed: 11 };
    const prefix = { ids: ids[0], text: texts[0] };
    expect(await there.sample(prefix, options)).toEqual(await here.sample(prefix, options));
  });

  it('a per-sequence failure arrives as ModelOutputError, as it is counted, not fatal', async () => {
    const bad = [[1, 2, 10 ** 6]];
    const local = await here.score(bad, { distribution: true }).catch((e: unknown) => e);
    const remote = await there.score(bad, { distribution: true }).catch((e: unknown) => e);
    expect(local).toBeInstanceOf(ModelOutputError);
    expect(remote).toBeInstanceOf(ModelOutputError);
    expect((remote as Error).message).toBe((local as Error).message);
  });

  it('a folder that is not a model fails to open with the same one-line FatalError', async () => {
    const empty = join(root, 'not-a-model');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'README.md'), 'no model here\n');
    const local = await openOnnxBackend(empty, {}).catch((e: unknown) => e);
    const remote = await openOnnxBackend(empty, { worker: true }).catch((e: unknown) => e);
    expect(local).toBeInstanceOf(FatalError);
    expect(remote).toBeInstanceOf(FatalError);
    expect((remote as FatalError).message).toBe((local as FatalError).message);
    expect((remote as FatalError).exitCode).toBe((local as FatalError).exitCode);
  });

  it('close ends the thread; a later call fails with a clear error instead of hanging', async () => {
    const once = await openOnnxBackend(dir, { threads: 1, worker: true });
    await once.close();
    await once.close();
    await expect(once.tokenize(['x'])).rejects.toThrow(/worker thread running .* stopped/);
  });
});
