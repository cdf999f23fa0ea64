/** The overlap: block of contam.config.yaml: validated by the one schema, flags over it key by key. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from '../../src/cli/config.js';
import { resolveOverlapOptions } from '../../src/cli/config-overlap.js';
import { runCli } from '../e2e/cli.js';
import { cliFixture } from '../overlap/cli-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'contam-config-overlap-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const BLOCK = `benchmarks:
  gsm8k: ./gsm8k.jsonl
  arc: { path: ./arc.jsonl }
overlap:
  corpus: [./sft, 'flan/*.jsonl.gz']
  ngram: 8
  minNgrams: 2
  fields: [question, answer]
  textField: messages
  dropTasks: solar-table8
  taskField: meta.task
  outDir: ./overlap-out
  failOn: found
  strict: true
`;

describe('overlap: block', () => {
  it('gives every option; flags override it key by key; benchmarks come from the top level', () => {
    const config = file('full.yaml', BLOCK);
    expect(resolveOverlapOptions({ config })).toEqual({
      corpus: ['./sft', 'flan/*.jsonl.gz'],
      benchmarks: [
        { name: 'gsm8k', task: 'gsm8k', path: './gsm8k.jsonl' },
        { name: 'arc', task: 'arc', path: './arc.jsonl' },
      ],
      ngram: 8,
      minNgrams: 2,
      mask: false,
      seed: 0,
      fields: ['question', 'answer'],
      textField: 'messages',
      dropTasks: 'solar-table8',
      taskField: 'meta.task',
      outDir: './overlap-out',
      failOn: 'found',
      strict: true,
    });
    const flags = { config, corpus: ['./other.jsonl'], benchmarks: 'arc', ngram: '13', 'fail-on': 'never', 'out-dir': './o', fields: 'question', 'task-field': '_task_name' };
    expect(resolveOverlapOptions(flags)).toMatchObject({
      corpus: ['./other.jsonl'],
      benchmarks: [{ name: 'arc', task: 'arc', path: './arc.jsonl' }],
      ngram: 13,
      minNgrams: 2,
      fields: ['question'],
      taskField: '_task_name',
      outDir: './o',
      failOn: 'never',
      strict: true,
    });
  });

  it('without a block, the defaults the flags always had', () => {
    const config = file('bare.yaml', 'samples: 10\n');
    expect(resolveOverlapOptions({ config, corpus: ['./c.jsonl'], benchmarks: 'gsm8k=./g.jsonl' })).toEqual({
      corpus: ['./c.jsonl'],
      benchmarks: [{ name: 'gsm8k', task: 'gsm8k', path: './g.jsonl' }],
      ngram: 13,
      minNgrams: 1,
      mask: false,
      seed: 0,
      taskField: '_task_name',
      failOn: 'never',
      strict: false,
    });
  });

  it('a shard from the file, with a clean copy per shard; mask and probes from the file', () => {
    const config = file('shard.yaml', 'overlap: { corpus: ./c, shard: 1/4, mask: true, probes: 3 }\nbenchmarks: { gsm8k: ./g }\n');
    expect(() => resolveOverlapOptions({ config })).toThrow('--mask: expected --write-clean DIR beside it');
    const options = resolveOverlapOptions({ config, 'write-clean': './clean' });
    expect([options.shard, options.writeClean, options.mask, options.probes, options.seed]).toEqual([{ index: 1, count: 4 }, './clean', true, 3, 0]);
    expect(resolveOverlapOptions({ config, 'write-clean': './clean', probes: '5', seed: '2' })).toMatchObject({ probes: 5, seed: 2 });
    const workers = file('workers.yaml', 'overlap: { corpus: ./c, workers: 3 }\nbenchmarks: { gsm8k: ./g }\n');
    expect(resolveOverlapOptions({ config: workers }).workers).toBe(3);
    expect(resolveOverlapOptions({ config: workers, workers: '1' }).workers).toBe(1);
  });

  it.each([
    ['overlap: { ngram: 0 }\n', 'key "overlap.ngram": expected an integer >= 1, found 0'],
    ['overlap: { shard: 3/3 }\n', 'key "overlap.shard": expected i/N with 0 <= i < N, e.g. 0/3, found "3/3"'],
    ['overlap: { failOn: maybe }\n', 'key "overlap.failOn": expected one of found, never, found "maybe"'],
    ['overlap: { corpus: [] , fields: [] }\n', 'key "overlap.fields": expected a list of strings, found []'],
    ['overlap: { corpus: [./a, 3] }\n', 'key "overlap.corpus[1]": expected a file, folder or glob, found 3'],
    ['overlap: { threads: 4 }\n', 'key "overlap.threads": expected one of corpus, ngram, minNgrams, fields, textField, dropTasks, taskField, writeClean, mask, probes, seed, shard, workers, outDir, failOn, strict, found "threads"'],
    ['overlap: ./corpus\n', 'key "overlap": expected {corpus, ngram, minNgrams, fields, textField, dropTasks, taskField, writeClean, mask, probes, seed, shard, workers, outDir, failOn, strict}, found "./corpus"'],
  ])('rejects %j in one line naming the key', (yaml, message) => {
    const path = file('bad-overlap.yaml', yaml);
    expect(() => readConfigFile(path)).toThrow(`${path}: ${message}`);
  });

  it('contam overlap -c reads the block and the benchmarks: the same report as the flags give', () => {
    const { root, bench, corpus } = cliFixture();
    const config = join(root, 'contam.config.yaml');
    writeFileSync(config, `benchmarks:\n  gsm8k: ${bench}\noverlap:\n  corpus: ${corpus}\n  failOn: found\n  outDir: ${join(root, 'from-file')}\n`);
    const fromFile = runCli(['overlap', '-c', config]);
    const fromFlags = runCli(['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--fail-on', 'found', '--out-dir', join(root, 'from-flags')]);
    expect([fromFile.code, fromFlags.code]).toEqual([100, 100]);
    const report = (name: string) => {
      const { run: _run, ...rest } = JSON.parse(readFileSync(join(root, name, 'overlap.json'), 'utf8'));
      return rest;
    };
    expect(report('from-file')).toEqual(report('from-flags'));
    // Found in the working directory as contam audit finds it; a flag overrides the file's failOn.
    expect(runCli(['overlap', '--fail-on', 'never', '--out-dir', join(root, 'cwd')], { cwd: root }).code).toBe(0);
  });
});
