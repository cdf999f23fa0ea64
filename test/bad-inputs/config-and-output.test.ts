/**
 * Bad-input corpus (issue #9, point 3), configuration, flags and report output. Every mistake is
 * one stderr line naming the file or flag, what was found and what is valid, with exit 1; report
 * writes never leave a half-written file under the final name.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/errors.js';
import { nodeIo, type ReportIo } from '../../src/report/atomic.js';
import { writeReports } from '../../src/report/write.js';
import { fixtureResults, fixtureSamples } from '../report/fixture-results.js';
import { runCli, STACK_LINE } from '../e2e/cli.js';
import { writeCorpus, type Corpus } from './setup.js';

let corpus: Corpus;
let data: string;
beforeAll(async () => {
  corpus = await writeCorpus('config');
  data = corpus.file('gsm8k.jsonl', `${JSON.stringify({ question: 'what is one ?', answer: 'it is one .\n#### 1' })}\n`);
});

interface FlagCase {
  readonly name: string;
  readonly args: () => string[];
  readonly message: string;
}

// Flag mistakes, rejected before a model is opened.
const flagCases: FlagCase[] = [
  { name: 'unknown benchmark', args: () => ['-b', `squad=${data}`], message: 'contam: --benchmarks: expected one of arc, mmlu, truthfulqa, gsm8k, hellaswag, winogrande, custom, found "squad"' },
  { name: 'benchmark without a path', args: () => ['-b', 'gsm8k'], message: 'contam: --benchmarks gsm8k: no data path; write gsm8k=<file or folder>, or define "gsm8k" under benchmarks in contam.config.yaml' },
  { name: 'the same benchmark twice', args: () => ['-b', `gsm8k=${data},gsm8k=${data}`], message: 'contam: benchmark "gsm8k" is listed twice; give each a distinct name' },
  { name: 'unknown detector', args: () => ['-b', `gsm8k=${data}`, '-d', 'loss,perplexity'], message: 'contam: --detectors: unknown detector "perplexity"; valid detectors: loss, zlib, lowercase, reference, min-k, min-k-plus-plus' },
  { name: 'k = 0 (outside (0, 1])', args: () => ['-b', `gsm8k=${data}`, '-d', 'min-k:k=0'], message: 'contam: --detectors: detector min-k: k=0 is out of range; k must be in (0, 1], e.g. k=0.2' },
  { name: 'k = 1.5 (outside (0, 1])', args: () => ['-b', `gsm8k=${data}`, '-d', 'min-k-plus-plus:k=1.5'], message: 'contam: --detectors: detector min-k-plus-plus: k=1.5 is out of range; k must be in (0, 1], e.g. k=0.2' },
  { name: 'unknown detector parameter', args: () => ['-b', `gsm8k=${data}`, '-d', 'min-k:q=1'], message: 'contam: --detectors: detector min-k: unknown parameter "q"; valid parameters: k' },
  { name: 'zero samples', args: () => ['-b', `gsm8k=${data}`, '-n', '0'], message: 'contam: --samples 0: expected an integer >= 1' },
  { name: 'negative samples (--samples=-3)', args: () => ['-b', `gsm8k=${data}`, '--samples=-3'], message: 'contam: --samples -3: expected an integer >= 1' },
  // "-n -3": Node's parser cannot tell a value from an option; its hint says how to write one.
  {
    name: 'negative samples (-n -3)',
    args: () => ['-b', `gsm8k=${data}`, '-n', '-3'],
    message: "contam: contam audit: Option '-n' argument is ambiguous. Did you forget to specify the option argument for '-n'? To specify an option argument starting with a dash use '--samples=-XYZ' or '-n-XYZ'. (see contam audit --help)",
  },
  { name: 'fractional samples', args: () => ['-b', `gsm8k=${data}`, '-n', '2.5'], message: 'contam: --samples 2.5: expected an integer >= 1' },
  { name: 'zero neighbours', args: () => ['-b', `gsm8k=${data}`, '--neighbours', '0'], message: 'contam: --neighbours 0: expected an integer >= 1' },
  { name: 'cut outside (0, 1]', args: () => ['-b', `gsm8k=${data}`, '--cut', '0'], message: 'contam: --cut 0: expected a number in (0, 1]' },
  { name: 'thresholds the wrong way round', args: () => ['-b', `gsm8k=${data}`, '--thresholds', '0.9,0.5'], message: 'contam: --thresholds: expected suspicious <= contaminated, found {"suspicious":0.9,"contaminated":0.5}' },
  { name: 'one threshold', args: () => ['-b', `gsm8k=${data}`, '--thresholds', '0.5'], message: 'contam: --thresholds 0.5: expected two numbers "suspicious,contaminated", e.g. 0.5,0.85' },
  { name: 'unknown mode', args: () => ['-b', `gsm8k=${data}`, '--mode', 'sideways'], message: 'contam: --mode: expected one of fixed, compat, found "sideways"' },
  { name: 'unknown --fail-on', args: () => ['-b', `gsm8k=${data}`, '--fail-on', 'always'], message: 'contam: --fail-on: expected one of contaminated, suspicious, never, found "always"' },
  { name: 'report file without a known extension', args: () => ['-b', `gsm8k=${data}`, '-o', 'report.txt'], message: 'contam: cannot tell the report format of report.txt: extension ".txt"; valid extensions are .json, .jsonl, .md' },
  { name: 'unknown flag', args: () => ['-b', `gsm8k=${data}`, '--sample', '3'], message: "contam: contam audit: Unknown option '--sample' (see contam audit --help)" },
];

describe('flag mistakes: one line, exit 1, no model opened', () => {
  it.each(flagCases)('$name', (c) => {
    const run = corpus.audit(c.args());
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect({ code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ code: 1, stderr: `${c.message}\n`, stdout: '' });
  });
});

interface ConfigCase {
  readonly name: string;
  readonly yaml: string;
  /** With `<file>` for the config's path. */
  readonly message: string;
}

// contam.config.yaml mistakes: the same messages from `contam validate` and from `contam audit -c`.
const configCases: ConfigCase[] = [
  { name: 'YAML syntax error', yaml: 'samples: 10\ndetectors: [loss, zlib\nmode: fixed\n', message: 'contam: <file> line 3 column 1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]' },
  { name: 'unknown key', yaml: 'sample: 10\n', message: 'contam: <file>: unknown key "sample"; valid keys: target, reference, benchmarks, samples, seed, sampling, detectors, neighbours, prefixRatio, cut, mode, earlyStop, thresholds, margins, failOn, strict, cache, outputs, outDir, onnx, remote, overlap' },
  { name: 'zero samples', yaml: 'samples: 0\n', message: 'contam: <file>: key "samples": expected an integer >= 1, found 0' },
  { name: 'negative samples', yaml: 'samples: -5\n', message: 'contam: <file>: key "samples": expected an integer >= 1, found -5' },
  { name: 'unknown detector', yaml: 'detectors: [loss, perplexity]\n', message: 'contam: <file>: key "detectors": unknown detector "perplexity"; valid detectors: loss, zlib, lowercase, reference, min-k, min-k-plus-plus' },
  { name: 'k outside (0, 1]', yaml: 'detectors: ["min-k:k=2"]\n', message: 'contam: <file>: key "detectors": detector min-k: k=2 is out of range; k must be in (0, 1], e.g. k=0.2' },
  { name: 'unknown benchmark task', yaml: 'benchmarks:\n  squad: ./squad.jsonl\n', message: 'contam: <file>: key "benchmarks.squad.task": expected one of arc, mmlu, truthfulqa, gsm8k, hellaswag, winogrande, custom, found "squad"' },
  { name: 'threshold above 1', yaml: 'thresholds: {contaminated: 1.5}\n', message: 'contam: <file>: key "thresholds.contaminated": expected a number in [0, 1], found 1.5' },
  { name: 'a list at the top level', yaml: '- samples: 10\n', message: 'contam: <file>: expected a map of settings at the top level, found a list' },
];

describe('config mistakes name the file, the key and the valid values', () => {
  it.each(configCases)('$name', (c) => {
    const file = corpus.file(`${c.name.replace(/\W+/g, '-')}.yaml`, c.yaml);
    const message = `${c.message.replaceAll('<file>', file)}\n`;
    const validate = runCli(['validate', file]);
    expect(validate.stderr).not.toMatch(STACK_LINE);
    expect(validate).toEqual({ code: 1, stdout: '', stderr: message });
    expect(corpus.audit(['-c', file, '-b', `gsm8k=${data}`])).toMatchObject({ code: 1, stderr: message });
  });

  it('a config file that does not exist', () => {
    const file = join(corpus.root, 'missing.yaml');
    expect(corpus.audit(['-c', file, '-b', `gsm8k=${data}`])).toMatchObject({ code: 1, stderr: `contam: config ${file}: no such file\n` });
  });
});

describe('report output that cannot be written', () => {
  it('an out-dir below a file (/dev/null/x): exit 1 naming the path and the reason, before any model runs', () => {
    const run = corpus.audit(['-b', `gsm8k=${data}`, '--out-dir', '/dev/null/x']);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('contam: cannot write report to /dev/null/x: a part of the path is a file, not a folder (ENOTDIR)\n');
  });

  // Node's recursive mkdir spun forever on /proc (mkdir answers ENOENT there though /proc exists).
  it.skipIf(!existsSync('/proc/self'))('an out-dir where folders cannot be made (/proc/forbidden): exit 1 in under 2 s, one line, before any model runs', () => {
    for (const where of [['--out-dir', '/proc/forbidden'], ['-o', '/proc/forbidden/deeper/report.md']]) {
      const started = Date.now();
      const run = runCli(['audit', '--target', corpus.target, '--reference', corpus.reference, '-b', `gsm8k=${data}`, '--no-cache', ...where], { timeout: 10_000 });
      const seconds = (Date.now() - started) / 1000;
      const folder = where[0] === '-o' ? '/proc/forbidden/deeper' : '/proc/forbidden';
      expect({ code: run.code, stdout: run.stdout, stderr: run.stderr }).toEqual({ code: 1, stdout: '', stderr: `contam: cannot write report to ${folder}: /proc takes no new folders (ENOENT)\n` });
      expect(seconds).toBeLessThan(2);
    }
  });

  it('an -o file in a folder that is a file: exit 1', () => {
    const blocker = corpus.file('blocker', 'a file, not a folder');
    const run = corpus.audit(['-b', `gsm8k=${data}`, '-o', join(blocker, 'report.md')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`contam: cannot write report to ${blocker}: a part of the path is a file, not a folder (EEXIST)\n`);
  });

  it('contam report on a file that is not a results.json', () => {
    const file = corpus.file('other.json', '{"hello": 1}');
    expect(runCli(['report', file])).toEqual({ code: 1, stdout: '', stderr: `contam: ${file}: not a contam results.json (schemaVersion undefined); expected schemaVersion 3\n` });
  });

  // The CLI cannot make a disk full, so this case runs at the module level with the report
  // module's injectable io: the file system fails with ENOSPC half-way through report.md.
  it('disk full while writing report.md (module level, injected ENOSPC): exit-1 error, no report.md, no temp file left', () => {
    const dir = join(corpus.root, 'disk-full');
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const io: ReportIo = {
      ...nodeIo,
      writeChunks(path, chunks) {
        if (!path.includes('report.md')) return nodeIo.writeChunks(path, chunks);
        // Half the content reaches the disk, then the device is full.
        const first = [...chunks].join('');
        writeFileSync(path, first.slice(0, first.length / 2));
        throw enospc;
      },
    };
    let thrown: unknown;
    try {
      writeReports(fixtureResults, fixtureSamples(), { dir, io });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FatalError);
    expect(thrown).toMatchObject({ exitCode: 1, message: `cannot write report to ${join(dir, 'report.md')}: no space left on the device (ENOSPC)` });
    expect(existsSync(join(dir, 'report.md'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // What was written before is complete: results.json and samples.jsonl came first.
    expect(readdirSync(dir).sort()).toEqual(['charts', 'results.json', 'samples.jsonl']);
  });
});
