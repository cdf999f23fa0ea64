import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../../src/cli/config-schema.js';
import { DEFAULTS, readConfigFile, resolveConfig } from '../../src/cli/config.js';
import { flagsToPartial } from '../../src/cli/audit-flags.js';
import { repoRoot } from '../helpers/shared-data.js';

const dir = mkdtempSync(join(tmpdir(), 'contam-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('configuration', () => {
  it('the committed JSON Schema is the one the code describes', () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, 'schema/contam.config.schema.json'), 'utf8'));
    expect(committed).toEqual(jsonSchema());
  });

  it('the defaults are read from the schema', () => {
    expect(DEFAULTS).toEqual({
      samples: 100,
      seed: 0,
      sampling: 'seeded',
      detectors: ['loss', 'zlib', 'lowercase', 'min-k', 'min-k-plus-plus'],
      neighbours: 100,
      prefixRatio: 0.4,
      cut: 0.1,
      mode: 'fixed',
      earlyStop: true,
      thresholds: { suspicious: 0.5, contaminated: 0.85 },
      margins: { suspicious: 0, contaminated: 0.1 },
      failOn: 'contaminated',
      strict: false,
      outputs: [],
      onnx: { batchSize: 16 },
      remote: { concurrency: 8, timeout: 300, retries: 8, retryDelay: 0.5 },
    });
  });

  it('every YAML example in the README validates', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const examples = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(examples.length).toBeGreaterThan(0);
    examples.forEach((yaml, i) => expect(() => readConfigFile(file(`readme-${i}.yaml`, yaml))).not.toThrow());
  });

  it('flags override the file, defaults fill the rest', () => {
    const path = file('ok.yaml', 'target: ./t\nreference: ./r\nsamples: 50\nbenchmarks:\n  gsm8k: ./g.jsonl\n  arc: { path: ./arc, split: test }\n');
    const fromFile = readConfigFile(path);
    const flags = flagsToPartial({ samples: '7', mode: 'compat', benchmarks: 'arc' }, fromFile.benchmarks as never);
    const config = resolveConfig(fromFile, flags, join(dir, 'cache'));
    expect(config.samples).toBe(7);
    expect(config.mode).toBe('compat');
    expect(config.benchmarks).toEqual([{ name: 'arc', task: 'arc', path: './arc', split: 'test' }]);
    expect(config.neighbours).toBe(100);
    expect(config.detectors).toEqual(['loss', 'zlib', 'lowercase', 'min-k', 'min-k-plus-plus']);
    expect(config.cache).toEqual({ enabled: true, dir: join(dir, 'cache') });
  });

  it.each([
    ['mode: sideways\n', 'key "mode": expected one of fixed, compat, found "sideways"'],
    ['samples: 0\n', 'key "samples": expected an integer >= 1, found 0'],
    ['detectors: [min-k:k=1.5]\n', 'key "detectors": detector min-k: k=1.5 is out of range'],
    ['benchmarks:\n  squad: ./x\n', 'key "benchmarks.squad.task": expected one of arc, mmlu, truthfulqa, gsm8k, hellaswag, winogrande, custom, found "squad"'],
    ['colour: red\n', 'unknown key "colour"; valid keys: target, reference'],
    ['thresholds: { suspicious: 0.9, contaminated: 0.5 }\n', 'key "thresholds": expected suspicious <= contaminated'],
  ])('rejects %j naming the file, key and valid values', (yaml, message) => {
    const path = file('bad.yaml', yaml);
    expect(() => readConfigFile(path)).toThrow(`${path}: `);
    expect(() => readConfigFile(path)).toThrow(message);
  });

  it('reports a YAML syntax error with its line', () => {
    const path = file('syntax.yaml', 'target: ./t\nbenchmarks: [gsm8k\n');
    expect(() => readConfigFile(path)).toThrow(new RegExp(`^${path} line \\d+ column \\d+: YAML syntax error: `));
  });
});

describe('models served by an engine', () => {
  it('a URL, or {url, model, apiKeyEnv, tokenizer}, beside a local folder; --target-model names the served model', () => {
    const path = file('remote.yaml', 'target: { url: http://gpu:8000/v1, model: solar-instruct, apiKeyEnv: SOLAR_KEY }\nreference: http://gpu:8001/v1\nbenchmarks:\n  gsm8k: ./g.jsonl\nremote: { concurrency: 32, timeout: 60 }\n');
    const fromFile = readConfigFile(path);
    const config = resolveConfig(fromFile, flagsToPartial({ 'reference-model': 'solar-base', retries: '3' }, undefined));
    expect(config.target).toEqual({ url: 'http://gpu:8000/v1', model: 'solar-instruct', apiKeyEnv: 'SOLAR_KEY' });
    expect(config.reference).toEqual({ url: 'http://gpu:8001/v1', model: 'solar-base' });
    expect(config.remote).toEqual({ concurrency: 32, timeout: 60, retries: 3, retryDelay: 0.5 });
    expect(config.onnx).toEqual({ batchSize: 16 });
    expect(resolveConfig(fromFile, flagsToPartial({ target: './local-model' }, undefined)).target).toEqual({ path: './local-model' });
  });

  it.each([
    ['target: { url: ftp://gpu/v1 }\n', 'key "target.url": expected an http:// or https:// URL such as http://127.0.0.1:8000/v1, found "ftp://gpu/v1"'],
    ['target: { url: http://gpu/v1, path: ./m }\n', 'key "target": expected exactly one of path (a local model) or url (a served model)'],
    ['target: { path: ./m, model: solar }\n', 'key "target": expected model, apiKeyEnv and tokenizer only with url, found {"path":"./m","model":"solar"}'],
    ['benchmarks: [{ path: ./x }]\n', 'key "benchmarks[0].name": expected a benchmark name, found undefined'],
    ['target: { url: http://gpu/v1, key: abc }\n', 'key "target.key": expected one of path, url, model, apiKeyEnv, tokenizer, name, found "key"'],
    ['remote: { concurrency: 0 }\n', 'key "remote.concurrency": expected an integer >= 1, found 0'],
    ['onnx: { dtype: fp64 }\n', 'key "onnx.dtype": expected one of fp32, fp16, q8, int8, uint8, q4, q4f16, bnb4, found "fp64"'],
  ])('rejects %j in one line naming the key', (yaml, message) => {
    const path = file('bad-remote.yaml', yaml);
    expect(() => readConfigFile(path)).toThrow(`${path}: ${message}`);
  });

  it('a local model may carry the name reports use', () => {
    const path = file('named.yaml', 'target: { path: ./m, name: mine }\n');
    expect(readConfigFile(path)).toEqual({ target: { path: './m', name: 'mine' } });
  });

  it('flags name themselves: --target-model on a local model, --concurrency 0', () => {
    const local = { target: './t', reference: './r', benchmarks: [{ name: 'arc', task: 'arc', path: './a' }] };
    expect(() => resolveConfig(local, flagsToPartial({ 'target-model': 'x' }, undefined))).toThrow('--target-model x: the target is a local model (./t); --target-model names a model served at a URL');
    expect(() => flagsToPartial({ concurrency: '0' }, undefined)).toThrow('--concurrency');
  });
});

describe('compat mode', () => {
  it('picks samples as the upstream tool does unless --sampling says otherwise', () => {
    const base = { target: './t', reference: './r', benchmarks: [{ name: 'arc', task: 'arc', path: './a' }] };
    expect(resolveConfig(base, { mode: 'compat' }).sampling).toBe('python-compat');
    expect(resolveConfig(base, { mode: 'compat', sampling: 'seeded' }).sampling).toBe('seeded');
    expect(resolveConfig(base, {}).sampling).toBe('seeded');
  });
});
