import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchema } from '../../src/cli/config-schema.js';
import { readConfigFile, resolveConfig } from '../../src/cli/config.js';
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

describe('compat mode', () => {
  it('picks samples as the upstream tool does unless --sampling says otherwise', () => {
    const base = { target: './t', reference: './r', benchmarks: [{ name: 'arc', task: 'arc', path: './a' }] };
    expect(resolveConfig(base, { mode: 'compat' }).sampling).toBe('python-compat');
    expect(resolveConfig(base, { mode: 'compat', sampling: 'seeded' }).sampling).toBe('seeded');
    expect(resolveConfig(base, {}).sampling).toBe('seeded');
  });
});
