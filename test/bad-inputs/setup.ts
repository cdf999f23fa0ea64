/**
 * Shared set-up for the bad-input corpus: two tiny fixture models (1 layer, width 16) written by the
 * project's own code, a folder for data files, and `audit()`, which spawns the built CLI on them.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditResults } from '../../src/audit/types.js';
import { writeGpt2Fixture, type Gpt2FixtureOptions } from '../fixtures/gpt2-fixture.js';
import { expect } from 'vitest';
import { STACK_LINE, runCli, type CliResult } from '../e2e/cli.js';

export const TINY: Gpt2FixtureOptions = { layers: 1, width: 16, heads: 2, context: 64, std: 0.2 };

export interface Corpus {
  readonly root: string;
  readonly target: string;
  readonly reference: string;
  /** Writes a data file under the corpus folder and returns its path. */
  file(name: string, content: string | Buffer): string;
  /** `contam audit` on the tiny models: 20 neighbours, no cache, a fresh --out-dir. */
  audit(args: readonly string[]): AuditRun;
}

export interface AuditRun extends CliResult {
  readonly outDir: string;
  /** results.json when the audit wrote one. */
  readonly results?: AuditResults;
}

export async function writeCorpus(prefix: string): Promise<Corpus> {
  const root = mkdtempSync(join(tmpdir(), `contam-bad-${prefix}-`));
  const target = join(root, 'target');
  const reference = join(root, 'reference');
  await writeGpt2Fixture(target, { ...TINY, seed: 1 });
  await writeGpt2Fixture(reference, { ...TINY, seed: 2 });
  mkdirSync(join(root, 'data'));
  let runs = 0;
  return {
    root,
    target,
    reference,
    file(name, content) {
      const path = join(root, 'data', name);
      writeFileSync(path, content);
      return path;
    },
    audit(args) {
      const outDir = join(root, `out-${++runs}`);
      // --fail-on never: these cases are about input handling; a verdict must not change the exit code.
      const out = runCli(['audit', '--target', target, '--reference', reference, '--neighbours', '20', '--no-cache', '--fail-on', 'never', '--out-dir', outDir, ...args]);
      const file = join(outDir, 'results.json');
      return { ...out, outDir, ...(existsSync(file) ? { results: JSON.parse(readFileSync(file, 'utf8')) as AuditResults } : {}) };
    },
  };
}

/** The last stderr line: where a fatal error is printed. */
export const lastLine = (stderr: string): string => stderr.trimEnd().split('\n').at(-1) ?? '';

/** "warning: ..." lines of the plain logger. */
export const warnings = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('warning: '));

/** V8's own JSON.parse message, so the tests do not depend on the Node version's wording. */
export function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * A per-sample error, never a fatal one: exit 0, no stack trace, one sample scored and the other
 * counted with `message` in results.json and in the plain log.
 */
export function expectOneSampleError(run: AuditRun, message: string): void {
  expect(run.stderr).not.toMatch(STACK_LINE);
  expect(run.code).toBe(0);
  const bench = run.results!.benchmarks[0];
  expect({ scored: bench.samplesScored, errors: bench.errors, messages: bench.errorMessages }).toEqual({ scored: 1, errors: 1, messages: [message] });
  expect(run.stderr).toContain(`[${bench.name}] error on ${message}\n`);
}
