/**
 * Issue #5 "Must show", end to end: the built CLI, spawned without a terminal, audits two tiny
 * fixture models on small GSM8K and ARC files. Its numbers are recomputed here from samples.jsonl
 * (Wilson interval, binomial test, verdict) and one sample is re-scored with the model API; a rerun
 * is served from the cache with zero model calls; `contam report` rebuilds the same report.md.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditResults, SampleRecord } from '../../src/audit/types.js';
import { detectorSet, scoreAll } from '../../src/audit/detector-set.js';
import { openModel } from '../../src/models/onnx/open.js';
import { binomialTailP, exchangeableNullRate } from '../../src/stats/binomial.js';
import { absoluteVerdict, decideVerdict } from '../../src/stats/verdict.js';
import { wilson } from '../../src/stats/wilson.js';
import { writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';
import { runCli, STACK_LINE, type CliResult } from './cli.js';

let root: string;
let fx: AuditFixture;
let cacheDir: string;
let first: CliResult;
let second: CliResult;

const SAMPLES = 4;
const auditArgs = (outDir: string, ...extra: string[]) => [
  'audit',
  '--target', fx.target,
  '--reference', fx.reference,
  '-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`,
  '--neighbours', '20',
  '-n', String(SAMPLES),
  '--cache-dir', cacheDir,
  '--out-dir', outDir,
  ...extra,
];

const readResults = (dir: string): AuditResults => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
const readSamples = (dir: string): SampleRecord[] =>
  readFileSync(join(dir, 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));

/** Masks what changes between runs (temp paths, clock times, durations) so the snapshot is stable. */
function stable(markdown: string): string {
  return markdown
    .replaceAll(root, '<tmp>')
    // report.md shortens local paths outside the working folder to their last two parts.
    .replaceAll(`…/${basename(root)}/`, '…/<tmp>/')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<time>')
    // Any duration formatDuration writes: 850ms, 12s, 3m05s, 1h02m.
    .replace(/\b\d+(\.\d+)? ?(ms|s)\b|\b\d+[mh]\d\d[sm]\b/g, '<duration>');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'contam-e2e-'));
  fx = await writeAuditFixture(join(root, 'fixture'), { rows: 8 });
  cacheDir = join(root, 'cache');
  first = runCli(auditArgs(join(root, 'run1')));
  second = runCli(auditArgs(join(root, 'run2')));
});

describe('contam audit, spawned non-interactively on fixture models', () => {
  it('exits 0, prints the summary table on stdout and progress as plain lines on stderr', () => {
    expect(first.stderr).not.toMatch(STACK_LINE);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')[0]).toBe('benchmark  detector         contamination [95% CI]  control  target - control [95% CI]  verdict  upstream reading');
    expect(first.stderr).toContain('[gsm8k] done: 4/4 samples scored, 0 errors');
    expect(first.stderr).toContain('[arc] done: 4/4 samples scored, 0 errors');
    // Never Ink's cursor movements on a non-terminal.
    expect(first.stderr + first.stdout).not.toContain('\u001b[');
  });

  it("results.json's shares, Wilson intervals, p-values and verdicts follow from samples.jsonl's flags", () => {
    const results = readResults(join(root, 'run1'));
    const samples = readSamples(join(root, 'run1'));
    expect(results.partial).toBe(false);
    expect(results.benchmarks.map((b) => [b.name, b.samplesPlanned, b.samplesScored, b.errors, b.skipped])).toEqual([
      ['gsm8k', SAMPLES, SAMPLES, 0, 0],
      ['arc', SAMPLES, SAMPLES, 0, 0],
    ]);
    const nullRate = exchangeableNullRate(20, 0.1);
    for (const bench of results.benchmarks) {
      const records = samples.filter((s) => s.benchmark === bench.name);
      expect(records).toHaveLength(SAMPLES);
      for (const d of bench.detectors) {
        // A flag is the rank below the cut whenever the rank is exact.
        for (const r of records) if (r.ranksExact) expect(r.flags[d.detector]).toBe(r.ranks[d.detector] < 0.1);
        const flagged = records.filter((r) => r.flags[d.detector]).length;
        const w = wilson(flagged, records.length);
        const control = records.filter((r) => r.controlFlags[d.detector]).length;
        const wc = wilson(control, records.length);
        const targetOnly = records.filter((r) => r.flags[d.detector] && !r.controlFlags[d.detector]).length;
        const controlOnly = records.filter((r) => !r.flags[d.detector] && r.controlFlags[d.detector]).length;
        const decision = decideVerdict(
          {
            contamination: flagged / records.length,
            nullPValue: binomialTailP(flagged, records.length, nullRate),
            control: { contamination: control / records.length, difference: d.difference, discordance: { targetOnly, controlOnly, pairs: records.length } },
          },
          results.config,
        );
        expect(d.mcnemar).toEqual({ targetOnly, controlOnly, pValue: decision.pValue });
        expect(d.difference.value).toBeCloseTo((flagged - control) / records.length, 12);
        expect({ detector: d.detector, samples: d.samples, contamination: d.contamination, interval: d.interval, nullRate: d.nullRate, pValue: d.pValue, verdict: d.verdict, absoluteVerdict: d.absoluteVerdict, control: d.control }).toEqual({
          detector: d.detector,
          samples: records.length,
          contamination: flagged / records.length,
          interval: { low: w.low, high: w.high },
          nullRate,
          pValue: binomialTailP(flagged, records.length, nullRate),
          verdict: decision.verdict,
          absoluteVerdict: absoluteVerdict(flagged / records.length, results.config.thresholds),
          control: { contamination: control / records.length, interval: { low: wc.low, high: wc.high } },
        });
      }
    }
  });

  it("one sample's stored scores equal a direct re-scoring of its text with openModel and the detectors", async () => {
    const results = readResults(join(root, 'run1'));
    const sample = readSamples(join(root, 'run1'))[0];
    const detectors = detectorSet(results.config.detectors);
    const target = await openModel(fx.target);
    const reference = await openModel(fx.reference);
    try {
      const [t] = await target.scoreTexts([sample.text]);
      const [tl] = await target.scoreTexts([sample.text.toLowerCase()]);
      const [r] = await reference.scoreTexts([sample.text]);
      const [rl] = await reference.scoreTexts([sample.text.toLowerCase()]);
      expect(scoreAll(detectors, sample.text, { self: t, lowercase: tl, other: r }, false)).toEqual(sample.scores);
      expect(scoreAll(detectors, sample.text, { self: r, lowercase: rl, other: t }, true)).toEqual(sample.controlScores);
      expect(Object.keys(sample.scores).sort()).toEqual([...results.config.detectors].sort());
    } finally {
      await target.close();
      await reference.close();
    }
  });

  it('report.md matches the snapshot (temp paths, times and durations masked)', async () => {
    const md = readFileSync(join(root, 'run1', 'report.md'), 'utf8');
    await expect(stable(md)).toMatchFileSnapshot('./__snapshots__/report.md');
  });
});

describe('rerun with the same cache folder', () => {
  it('makes zero model calls, hits the cache for every sample and reports identical numbers', () => {
    expect(second.code).toBe(0);
    const a = readResults(join(root, 'run1'));
    const b = readResults(join(root, 'run2'));
    expect(a.modelCalls).toBeGreaterThan(0);
    expect(b.modelCalls).toBe(0);
    expect(b.benchmarks.map((x) => x.cacheHits)).toEqual([SAMPLES, SAMPLES]);
    expect(a.benchmarks.map((x) => x.cacheHits)).toEqual([0, 0]);
    expect(b.benchmarks.map((x) => x.detectors)).toEqual(a.benchmarks.map((x) => x.detectors));
    expect(b.benchmarks.map((x) => x.neighboursScored)).toEqual(a.benchmarks.map((x) => x.neighboursScored));
    expect(readSamples(join(root, 'run2'))).toEqual(readSamples(join(root, 'run1')));
  });

  it('contam report results.json -o report.md rebuilds the Markdown the audit wrote, byte for byte', () => {
    const dir = join(root, 'run1');
    const again = join(dir, 'report-again.md');
    const out = runCli(['report', join(dir, 'results.json'), '-o', again]);
    expect(out).toEqual({ code: 0, stdout: '', stderr: `written: ${again}\n` });
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(join(dir, 'report.md'), 'utf8'));
  });

  it('contam report results.json without -o prints the same report (charts are not linked from stdout)', () => {
    const dir = join(root, 'run1');
    const out = runCli(['report', join(dir, 'results.json')]);
    expect(out.code).toBe(0);
    const withoutCharts = readFileSync(join(dir, 'report.md'), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('![') && !l.startsWith('Rank charts:'))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n');
    expect(out.stdout).toBe(withoutCharts);
  });
});

describe('exit codes', () => {
  // --cut 1 flags every sample that at least one neighbour does not beat, so shares are high; in
  // compat mode (the upstream reading decides) with --thresholds 0,0 any share above 0 is "contaminated".
  const loud = ['--mode', 'compat', '--cut', '1', '--thresholds', '0,0'];

  it('0 with --fail-on never even when the primary verdict is contaminated', () => {
    const out = runCli(auditArgs(join(root, 'never'), ...loud, '--fail-on', 'never'));
    expect(out.code).toBe(0);
    expect(readResults(join(root, 'never')).benchmarks.map((b) => b.detectors[0].verdict)).toEqual(['contaminated', 'contaminated']);
  });

  it('100 when the primary detector reaches --fail-on suspicious; the reports are still written', () => {
    const out = runCli(auditArgs(join(root, 'fail'), ...loud, '--fail-on', 'suspicious'));
    expect(out.code).toBe(100);
    expect(out.stderr).not.toMatch(STACK_LINE);
    expect(readResults(join(root, 'fail')).benchmarks.map((b) => [b.detectors[0].detector, b.detectors[0].verdict])).toEqual([
      ['loss', 'contaminated'],
      ['loss', 'contaminated'],
    ]);
  });

  it('100 at the default --fail-on contaminated; 0 when the primary detector is clean though another is not', () => {
    expect(runCli(auditArgs(join(root, 'fail2'), ...loud)).code).toBe(100);
    // The first run: lowercase is "contaminated" on these all-lowercase texts, but loss (primary) is clean.
    const results = readResults(join(root, 'run1'));
    expect(results.benchmarks.map((b) => b.detectors[0].verdict)).toEqual(['clean', 'clean']);
    expect(first.code).toBe(0);
  });

  it('1 for an unknown flag, naming it and the help command', () => {
    expect(runCli(['audit', '--frobnicate'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "contam: contam audit: Unknown option '--frobnicate' (see contam audit --help)\n",
    });
  });

  it('1 for a missing target, saying how to give one', () => {
    expect(runCli(['audit', '--reference', fx.reference, '-b', `gsm8k=${fx.gsm8k}`])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'contam: no target model: pass --target <folder, hub id or http://host:port/v1> or set "target" in contam.config.yaml\n',
    });
  });

  it('1 for an unknown command', () => {
    const out = runCli(['frobnicate']);
    expect(out.code).toBe(1);
    expect(out.stderr).toBe('contam: unknown command "frobnicate"; expected one of audit, demo, overlap, report, inspect, score, list, validate, cache\n');
  });

  it('--json prints only the results JSON on stdout, the same object as results.json', () => {
    const out = runCli(auditArgs(join(root, 'json'), '--json'));
    expect(out.code).toBe(0);
    const parsed = JSON.parse(out.stdout) as AuditResults;
    expect(parsed).toEqual(readResults(join(root, 'json')));
    expect(parsed.benchmarks.map((b) => b.name)).toEqual(['gsm8k', 'arc']);
  });
});

describe('the other verbs', () => {
  it('contam validate names the file, the key and the valid values of a bad setting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'contam-validate-'));
    const file = join(dir, 'contam.config.yaml');
    writeFileSync(file, 'mode: sideways\nsamples: 10\n');
    expect(runCli(['validate', file])).toEqual({
      code: 1,
      stdout: '',
      stderr: `contam: ${file}: key "mode": expected one of fixed, compat, found "sideways"\n`,
    });
    // Found automatically in the working folder, too.
    expect(runCli(['validate'], { cwd: dir }).stderr).toBe(`contam: ${file}: key "mode": expected one of fixed, compat, found "sideways"\n`);
  });

  it('contam validate accepts a good file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'contam-validate-'));
    const file = join(dir, 'release.yaml');
    writeFileSync(file, 'mode: compat\nsamples: 10\ndetectors: [loss, "min-k:k=0.1"]\n');
    expect(runCli(['validate', file])).toEqual({ code: 0, stdout: `${file}: ok (target, reference or benchmarks left to flags)\n`, stderr: '' });
  });

  it('contam audit --dry-run --json lists the chosen samples (the ones the audit then scored) without running a model', () => {
    const out = runCli(['audit', '--target', fx.target, '--reference', fx.reference, '-b', `gsm8k=${fx.gsm8k},arc=${fx.arc}`, '-n', String(SAMPLES), '--dry-run', '--json']);
    expect(out.code).toBe(0);
    const plan = JSON.parse(out.stdout) as { benchmarks: { benchmark: string; rowsRead: number; chosen: { id: string; rowIndex: number; text: string; textHash: string }[] }[] };
    const scored = readSamples(join(root, 'run1'));
    expect(plan.benchmarks.map((b) => [b.benchmark, b.rowsRead, b.chosen.length])).toEqual([
      ['gsm8k', 8, SAMPLES],
      ['arc', 8, SAMPLES],
    ]);
    for (const b of plan.benchmarks) {
      expect(b.chosen.map(({ id, rowIndex, text, textHash }) => ({ id, rowIndex, text, textHash }))).toEqual(
        scored.filter((s) => s.benchmark === b.benchmark).map(({ id, rowIndex, text, textHash }) => ({ id, rowIndex, text, textHash })),
      );
    }
  });

  it('contam list benchmarks|detectors, plain and --json', () => {
    const benchmarks = runCli(['list', 'benchmarks', '--json']);
    expect(benchmarks.code).toBe(0);
    expect(JSON.parse(benchmarks.stdout).map((t: { name: string }) => t.name)).toEqual(['arc', 'mmlu', 'truthfulqa', 'gsm8k', 'hellaswag', 'winogrande', 'custom']);
    const detectors = runCli(['list', 'detectors', '--json']);
    expect(JSON.parse(detectors.stdout).map((d: { id: string }) => d.id)).toEqual(['loss', 'zlib', 'lowercase', 'reference', 'min-k', 'min-k-plus-plus']);
    const plain = runCli(['list', 'detectors']);
    expect(plain.code).toBe(0);
    expect(plain.stdout.split('\n').filter(Boolean)).toHaveLength(6);
    expect(runCli(['list', 'models'])).toEqual({ code: 1, stdout: '', stderr: 'contam: contam list: expected "benchmarks" or "detectors", found "models"\n' });
  });

  it.each(['audit', 'demo', 'report', 'inspect', 'score', 'list', 'validate', 'cache'])('contam %s --help exits 0 with its usage', (verb) => {
    const out = runCli([verb, '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout.startsWith(`Usage: contam ${verb}`)).toBe(true);
    expect(out.stderr).toBe('');
  });

  it('contam --help lists every verb', () => {
    const out = runCli(['--help']);
    expect(out.code).toBe(0);
    for (const verb of ['audit', 'demo', 'report', 'inspect', 'score', 'list', 'validate', 'cache']) expect(out.stdout).toMatch(new RegExp(`^  ${verb} `, 'm'));
  });
});
