/**
 * Bad-input corpus (issue #9, point 3), model folders. A model contam cannot run is one line and
 * exit 1 before any sample is scored; a model whose outputs go bad on some texts (NaN, Infinity)
 * is a per-sample error counted in results.json while the rest of the run goes on.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureVocabulary, tokenizerJson } from '../../src/onnx/fixture-tokenizer.js';
import { writeGpt2Fixture } from '../fixtures/gpt2-fixture.js';
import { runCli, STACK_LINE } from '../e2e/cli.js';
import { expectOneSampleError, lastLine, TINY, writeCorpus, type Corpus } from './setup.js';

let corpus: Corpus;
let data: string;
const models: Record<string, string> = {};

const row = (q: string) => JSON.stringify({ question: q, answer: 'it is .\n#### 1' });

beforeAll(async () => {
  corpus = await writeCorpus('models');
  data = corpus.file('gsm8k.jsonl', [row('what is one ?'), row('what is the number that is two and then more than that ?')].join('\n'));
  const at = (name: string) => (models[name] = join(corpus.root, name));

  await writeGpt2Fixture(at('no-tokenizer'), TINY);
  rmSync(join(models['no-tokenizer'], 'tokenizer.json'));

  await writeGpt2Fixture(at('not-onnx'), TINY);
  writeFileSync(join(models['not-onnx'], 'model.onnx'), 'this is not an ONNX protobuf\n');

  await writeGpt2Fixture(at('no-logits'), { ...TINY, withLogits: false });

  // The tokenizer knows 400 ids; the model's logits cover the fixture's 256.
  await writeGpt2Fixture(at('vocab-mismatch'), TINY);
  writeFileSync(join(models['vocab-mismatch'], 'tokenizer.json'), JSON.stringify(tokenizerJson(fixtureVocabulary(undefined, 400))));

  await writeGpt2Fixture(at('nan'), { ...TINY, nanLogits: true });
  await writeGpt2Fixture(at('inf'), { ...TINY, nanLogits: { value: 'inf' } });
  // Logits spoil from position 12 on: short texts (and their neighbours) score, long ones fail.
  await writeGpt2Fixture(at('nan-late'), { ...TINY, nanLogits: { fromPosition: 12 } });
});

interface FatalModelCase {
  readonly name: string;
  readonly model: string;
  /** The stderr line with `<dir>` for the model folder. */
  readonly message: string;
}

const fatalCases: FatalModelCase[] = [
  // The tokenizer is part of what is audited: contam never guesses one.
  { name: 'model folder without tokenizer.json', model: 'no-tokenizer', message: 'contam: model <dir>: no tokenizer.json in <dir>; contam needs the tokenizer the model was trained with' },
  { name: 'model.onnx that is not ONNX', model: 'not-onnx', message: 'contam: <dir>/model.onnx: not an ONNX model (the file does not parse as an ONNX protobuf)' },
  // A vocabulary larger than the logits would read past them: refused before scoring.
  {
    name: 'tokenizer vocabulary larger than the logits',
    model: 'vocab-mismatch',
    message: "contam: model <dir>: tokenizer and model do not match: <dir>/tokenizer.json can emit ids up to 399, but the model's logits cover only 256 ids (0-255)",
  },
];

describe('models contam cannot run: one line, exit 1', () => {
  it.each(fatalCases)('$name', (c) => {
    const dir = models[c.model];
    const run = corpus.audit(['--target', dir, '-b', `gsm8k=${data}`]);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect({ code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ code: 1, stderr: `${c.message.replaceAll('<dir>', dir)}\n`, stdout: '' });
    expect(run.results).toBeUndefined();
  });

  it('ONNX graph without a logits output names what it found instead', () => {
    const dir = models['no-logits'];
    const run = corpus.audit(['--target', dir, '-b', `gsm8k=${data}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(lastLine(run.stderr)).toMatch(new RegExp(`^contam: model ${dir}: not a causal LM contam can score: the graph has no (a )?logits output \\[batch, sequence, vocab\\] \\(inputs: input_ids .*; outputs: last_hidden_state float32\\[batch_size,sequence_length,16\\], present\\.0\\.key .*\\)$`));
  });

  it('a model path that does not exist', () => {
    const dir = join(corpus.root, 'nowhere');
    const run = corpus.audit(['--target', dir, '-b', `gsm8k=${data}`]);
    expect(run.code).toBe(1);
    expect(lastLine(run.stderr)).toMatch(new RegExp(`^contam: model ${dir}: not a folder, and not a model id in the local Hugging Face cache \\(looked in .*\\); nothing is downloaded$`));
  });

  it('contam inspect and contam score say the same as the audit', () => {
    const dir = models['no-tokenizer'];
    const message = `contam: model ${dir}: no tokenizer.json in ${dir}; contam needs the tokenizer the model was trained with\n`;
    expect(runCli(['inspect', dir])).toEqual({ code: 1, stdout: '', stderr: message });
    expect(runCli(['score', dir, 'what is one ?'])).toEqual({ code: 1, stdout: '', stderr: message });
  });
});

describe('non-finite logits are per-sample errors, never numbers', () => {
  it('NaN from a position on: long samples are errors counted in results.json, short ones are scored, exit 0', () => {
    const run = corpus.audit(['--target', models['nan-late'], '-b', `gsm8k=${data}`, '-n', '2']);
    expectOneSampleError(run, 'gsm8k/test/1: the model produced non-finite log-probs (NaN or Infinity) at token 13');
    for (const d of run.results!.benchmarks[0].detectors) expect(Number.isFinite(d.contamination)).toBe(true);
  });

  it.each([
    ['NaN', 'nan'],
    ['+Infinity', 'inf'],
  ])('%s logits everywhere: every sample is an error, the reports are written, exit 1 naming the first error', (_label, model) => {
    const run = corpus.audit(['--target', models[model], '-b', `gsm8k=${data}`, '-n', '2']);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(1);
    const bench = run.results!.benchmarks[0];
    expect({ scored: bench.samplesScored, errors: bench.errors }).toEqual({ scored: 0, errors: 2 });
    // No share is invented: "unknown", with NaN shares (null in JSON).
    expect(bench.detectors.map((d) => [d.verdict, d.contamination])).toEqual(bench.detectors.map(() => ['unknown', null]));
    expect(lastLine(run.stderr)).toBe(
      `contam: gsm8k: no sample could be scored (2 errors; first: ${bench.errorMessages[0]}); reports written to ${join(run.outDir, 'report.md')}`,
    );
    expect(bench.errorMessages[0]).toMatch(/^gsm8k\/test\/[01]: the model produced non-finite log-probs \(NaN or Infinity\) at token 1$/);
  });
});
