import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModel } from '../../src/models/onnx/resolve.js';
import { openModel } from '../../src/models/onnx/open.js';
import { writeGpt2Fixture } from '../fixtures/gpt2-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'contam-resolve-'));
let fixture: string;
beforeAll(async () => {
  fixture = join(root, 'fixture');
  await writeGpt2Fixture(fixture, { externalData: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the fixture folder with model.onnx (+ .data) moved to `name` under `sub`. */
function layout(dir: string, sub: string, name: string): string {
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(join(dir, sub), { recursive: true });
  renameSync(join(dir, 'model.onnx'), join(dir, sub, name));
  renameSync(join(dir, 'model.onnx.data'), join(dir, sub, 'model.onnx.data'));
  return dir;
}

describe('model folders', () => {
  it('Optimum export: model.onnx with its external weights', () => {
    const files = resolveModel(fixture);
    expect(files).toMatchObject({ layout: 'optimum', onnxPath: join(fixture, 'model.onnx'), externalData: [join(fixture, 'model.onnx.data')], dtype: 'fp32' });
    expect(files.tokenizerPath).toBe(join(fixture, 'tokenizer.json'));
  });

  it('transformers.js: onnx/model_fp16.onnx chosen with --dtype fp16; tokenizer from the folder above', () => {
    const dir = layout(join(root, 'tjs'), 'onnx', 'model_fp16.onnx');
    const files = resolveModel(dir, 'fp16');
    expect(files).toMatchObject({ layout: 'transformers.js', onnxPath: join(dir, 'onnx', 'model_fp16.onnx'), dtype: 'fp16', tokenizerPath: join(dir, 'tokenizer.json') });
    expect(() => resolveModel(dir, 'q8')).toThrow(`model folder ${dir}: no ONNX decoder found (found: onnx); expected decoder_model_merged_quantized.onnx or model_quantized.onnx or decoder_model_quantized.onnx, onnx/model_quantized.onnx (transformers.js) or genai_config.json (ONNX Runtime GenAI)`);
    expect(() => resolveModel(dir, 'fp64')).toThrow('--dtype fp64: unknown; expected one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4');
  });

  it('ONNX Runtime GenAI: genai_config.json names the decoder file', () => {
    const dir = join(root, 'genai');
    cpSync(fixture, dir, { recursive: true });
    renameSync(join(dir, 'model.onnx'), join(dir, 'decoder.onnx'));
    writeFileSync(join(dir, 'genai_config.json'), JSON.stringify({ model: { decoder: { filename: 'decoder.onnx' }, context_length: 64 } }));
    expect(resolveModel(dir)).toMatchObject({ layout: 'onnxruntime-genai', onnxPath: join(dir, 'decoder.onnx') });
  });

  it('a Hugging Face id is found in the local hub cache (refs/main), and the model opens from there', async () => {
    const hub = join(root, 'hub');
    const snapshot = join(hub, 'models--acme--tiny-gpt', 'snapshots', 'abc123');
    cpSync(fixture, snapshot, { recursive: true });
    mkdirSync(join(hub, 'models--acme--tiny-gpt', 'refs'), { recursive: true });
    writeFileSync(join(hub, 'models--acme--tiny-gpt', 'refs', 'main'), 'abc123\n');
    const saved = process.env.HF_HUB_CACHE;
    process.env.HF_HUB_CACHE = hub;
    try {
      expect(resolveModel('acme/tiny-gpt').dir).toBe(snapshot);
      const model = await openModel('acme/tiny-gpt');
      expect(model.vocabSize).toBe(256);
      await model.close();
      expect(() => resolveModel('acme/absent')).toThrow(/^model acme\/absent: not a folder, and not a model id in the local Hugging Face cache \(looked in .*hub.*\); nothing is downloaded$/);
    } finally {
      if (saved === undefined) delete process.env.HF_HUB_CACHE;
      else process.env.HF_HUB_CACHE = saved;
    }
  });
});
