/**
 * `contam audit --dry-run` plans without models (issue 17): the example at the end of
 * `contam audit --help` is run as printed, on a generated MMLU release folder and on the real one.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSharedData, sharedDataNote, sharedPath } from '../helpers/shared-data.js';
import { runCli } from './cli.js';

/** The help's dry-run example, as argv after `contam`. */
function helpExample(): string[] {
  const help = runCli(['audit', '--help']).stdout;
  const line = help.split('\n').find((l) => l.includes('--dry-run') && l.trim().startsWith('contam audit'));
  expect(line).toBe('  contam audit --dry-run --json -b mmlu=./mmlu/data');
  return line!.trim().split(/\s+/).slice(1);
}

/** A folder holding ./mmlu/data in the hendrycks layout: two subjects, `rows` test rows each. */
function mmluFolder(rows: number): string {
  const cwd = mkdtempSync(join(tmpdir(), 'contam-dry-'));
  const test = join(cwd, 'mmlu/data/test');
  mkdirSync(test, { recursive: true });
  for (const subject of ['anatomy', 'virology']) {
    const lines = Array.from({ length: rows }, (_, i) => `What is ${subject} fact ${i}?,one,two,three,four,${'ABCD'[i % 4]}`);
    writeFileSync(join(test, `${subject}_test.csv`), `${lines.join('\n')}\n`);
  }
  return cwd;
}

interface DryRunPlan {
  models: { target: unknown; reference: unknown; note?: string };
  benchmarks: { benchmark: string; rowsRead: number; valid: number; chosen: unknown[]; work: Record<string, unknown> }[];
  work: { samples: number; neighboursPerSample: number; neighboursDrawn: { min: number; max: number }; modelCalls: { min: number; max: number } };
}

describe('contam audit --dry-run without models', () => {
  it("the help's example plans a generated MMLU folder: rows, samples, neighbours and model calls, models not given", () => {
    const cwd = mmluFolder(60);
    const out = runCli(helpExample(), { cwd });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const plan = JSON.parse(out.stdout) as DryRunPlan;
    expect(plan.models).toEqual({ target: null, reference: null, note: 'target and reference not given: planned without models; the audit needs --target and --reference' });
    expect(plan.benchmarks.map((b) => [b.benchmark, b.rowsRead, b.valid, b.chosen.length])).toEqual([['mmlu', 120, 120, 100]]);
    // Defaults: 100 samples x 100 neighbours, the lowercase pass on (see test/audit/estimate.test.ts).
    expect(plan.work).toEqual({
      samples: 100,
      neighboursPerSample: 100,
      neighboursDrawn: { min: 1000, max: 10000 },
      textsScoredPerModel: { min: 2200, max: 20200 },
      modelCalls: { min: 900, max: 2900 },
    });
    expect(plan.benchmarks[0].work).toEqual(plan.work);
  });

  it('plain lines say the models were not given; a model given is named, never opened', () => {
    const cwd = mmluFolder(3);
    const out = runCli(['audit', '--dry-run', '-b', 'mmlu=./mmlu/data', '-n', '4', '--neighbours', '20', '--no-early-stop', '-d', 'loss'], { cwd });
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n')).toEqual([
      'models: target and reference not given: planned without models; the audit needs --target and --reference',
      'mmlu (test, 2 files): 6 rows read, 0 skipped, 4 chosen (seeded, seed 0)',
      // 2 calls for the original, 3 per chunk (2, 2, 4, 8, 4 neighbours).
      'work: 4 samples x 20 neighbours: 80 neighbours drawn, 84 texts scored per model, 68 model calls',
      '  (fewest when early stopping decides every sample at its first draw; calls as a local model makes them, an engine merges some; cached samples cost none)',
      '',
    ]);
    const one = runCli(['audit', '--dry-run', '-b', 'mmlu=./mmlu/data', '--target', './no-such-model'], { cwd });
    expect(one.code).toBe(0);
    expect(one.stdout.split('\n')[0]).toBe('models: target ./no-such-model; reference not given: planned without models; the audit needs --reference');
  });

  it('the audit itself still needs both models, and --target-model needs a --target', () => {
    const cwd = mmluFolder(3);
    expect(runCli(['audit', '-b', 'mmlu=./mmlu/data'], { cwd })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'contam: no target model: pass --target <folder, hub id or http://host:port/v1> or set "target" in contam.config.yaml\n',
    });
    expect(runCli(['audit', '--dry-run', '-b', 'mmlu=./mmlu/data', '--target-model', 'solar'], { cwd })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'contam: --target-model solar: no target given; --target-model names a model served at the --target URL\n',
    });
  });

  it.skipIf(!hasSharedData)(`the help's example on the real MMLU release (14,042 test rows)${sharedDataNote}`, () => {
    const cwd = mkdtempSync(join(tmpdir(), 'contam-dry-real-'));
    mkdirSync(join(cwd, 'mmlu'));
    symlinkSync(sharedPath('benchmarks/mmlu'), join(cwd, 'mmlu/data'));
    const out = runCli(helpExample(), { cwd });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const plan = JSON.parse(out.stdout) as DryRunPlan;
    expect(plan.benchmarks.map((b) => [b.benchmark, b.rowsRead, b.valid, b.chosen.length])).toEqual([['mmlu', 14042, 14042, 100]]);
    expect(plan.models.target).toBeNull();
  });
});
