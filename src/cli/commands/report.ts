/** contam report <results.json>: render an audit's results again, in any format. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AuditResults, SampleRecord } from '../../audit/types.js';
import { FatalError, errorMessage } from '../../errors.js';
import { renderMarkdown } from '../../report/markdown.js';
import { tryLoadReferences, writeReports } from '../../report/write.js';
import { parse, stdio, type Output } from '../args.js';

export const help = `Usage: contam report <results.json> [-o file.md|file.json|file.jsonl ...]

Re-renders a finished (or partial) audit from its results.json; samples.jsonl beside it is read
for the per-sample report. Without -o, prints the Markdown report on stdout.

Examples:
  contam report reports/20261128-101500-my-model/results.json -o report.md
  contam report results.json > notes.md`;

function readResults(path: string): AuditResults {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new FatalError(`${path}: cannot read results (${errorMessage(error)}); expected a results.json written by contam audit`);
  }
  const r = value as Partial<AuditResults>;
  if (r && typeof r.schemaVersion === 'number' && r.schemaVersion !== 3 && Array.isArray(r.benchmarks)) {
    throw new FatalError(`${path}: written by another version of contam (schemaVersion ${r.schemaVersion}); this version reads schemaVersion 3: rerun the audit (its cache makes that quick)`);
  }
  if (!r || r.schemaVersion !== 3 || !Array.isArray(r.benchmarks)) {
    throw new FatalError(`${path}: not a contam results.json (schemaVersion ${JSON.stringify(r?.schemaVersion)}); expected schemaVersion 3`);
  }
  return r as AuditResults;
}

function readSamples(path: string): SampleRecord[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as SampleRecord;
      } catch {
        throw new FatalError(`${path} line ${i + 1}: not valid JSON; expected one sample record per line`);
      }
    });
}

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values, positionals } = parse('report', argv, { output: { type: 'string', short: 'o', multiple: true } });
  if (values.help) return io.out(help);
  if (positionals.length !== 1) throw new FatalError('contam report: expected one results.json (see contam report --help)');
  const results = readResults(positionals[0]);
  const samples = readSamples(join(dirname(positionals[0]), 'samples.jsonl'));
  if (!values.output?.length) {
    io.out(renderMarkdown(results, { references: tryLoadReferences() }).trimEnd());
    return;
  }
  const written = writeReports(results, samples, { outputs: values.output });
  io.err(`written: ${written.join(', ')}`);
}
