/** contam audit --overlap: the data side beside the model side, in results.json, report.md and the summary. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadOverlap, withDataOverlap } from '../../src/audit/data-overlap.js';
import type { AuditResults } from '../../src/audit/types.js';
import { resultsJson } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { summaryLines } from '../../src/report/summary.js';
import { runCli } from '../e2e/cli.js';
import { cliFixture, type CliFixture } from '../overlap/cli-fixture.js';
import { fixtureResults } from './fixture-results.js';

let fx: CliFixture;
let overlapFile: string;

beforeAll(() => {
  // A real scan by contam overlap: gsm8k 4 of 5 items checkable, all 4 found.
  fx = cliFixture();
  const out = runCli(['overlap', '--corpus', fx.corpus, '-b', `gsm8k=${fx.bench}`, '--out-dir', join(fx.root, 'o')]);
  expect(out.code).toBe(0);
  overlapFile = join(fx.root, 'o/overlap.json');
});

function attached(): AuditResults {
  const overlap = loadOverlap(overlapFile, fixtureResults.config.benchmarks);
  return { ...fixtureResults, benchmarks: withDataOverlap(fixtureResults.benchmarks, overlap) };
}

describe('contam audit --overlap', () => {
  it('attaches the matching benchmark and marks the others not scanned', () => {
    const r = attached();
    expect(r.benchmarks.map((b) => b.dataOverlap)).toEqual([
      { scanned: false, file: overlapFile },
      {
        scanned: true,
        file: overlapFile,
        ngram: 13,
        checked: ['question'],
        items: 5,
        checkable: 4,
        found: 4,
        share: 1,
        interval: { low: expect.closeTo(0.5101, 4), high: 1 },
        coverage: 0.8,
      },
      { scanned: false, file: overlapFile },
    ]);
    const json = JSON.parse(resultsJson(r));
    expect(json.schemaVersion).toBe(3);
    expect(Object.keys(json.benchmarks[1]).slice(-2)).toEqual(['dataOverlap', 'notes']);
    expect(Object.keys(json.benchmarks[1].dataOverlap)).toEqual(['scanned', 'file', 'ngram', 'checked', 'items', 'checkable', 'found', 'share', 'interval', 'coverage']);
  });

  it('shows both halves in the summary lines and in report.md', () => {
    const r = attached();
    const f = overlapFile.replace(/^.*\/([^/]+\/[^/]+)$/, '…/$1');
    expect(summaryLines(r).slice(-3)).toEqual([
      `arc: training data (${f}): not scanned; model side 0.06 [0.00, 0.12]`,
      `gsm8k: training data (${f}): 1.00 [0.51, 1.00], 4 of 4 found; 4 of 5 checkable (0.80); model side 0.92 [0.86, 0.98]`,
      `my|bench \`x\` <script>alert(1)</…: training data (${f}): not scanned; model side 0.30 [0.20, 0.40]`,
    ]);
    const md = renderMarkdown(r);
    expect(md).toContain('| Training data (contam overlap: share of items found) | not scanned | 1.00 [0.51, 1.00], 4 of 4 found; 4 of 5 checkable (0.80) | not scanned |');
    expect(md).toContain(`- Training data row: from **${f}** (contam overlap).`);
    // Without --overlap nothing changes.
    expect(renderMarkdown(fixtureResults)).not.toContain('Training data');
    expect(summaryLines(fixtureResults).some((l) => l.includes('training data'))).toBe(false);
  });

  it('rejects a bad or mismatched overlap file in one line naming the file and the field', () => {
    const bad = (name: string, edit: (o: Record<string, any>) => void): string => {
      const o = JSON.parse(readFileSync(overlapFile, 'utf8'));
      edit(o);
      const path = join(fx.root, name);
      writeFileSync(path, JSON.stringify(o));
      return path;
    };
    const audit = (file: string) => runCli(['audit', '--dry-run', '-b', `gsm8k=${fx.bench}`, '--overlap', file]);
    const cases: [string, string][] = [
      [bad('a.json', (o) => (o.benchmarks[0].checkable = 'x')), 'field benchmarks[0].checkable: expected a number >= 0, found string "x"'],
      [bad('b.json', (o) => (o.benchmarks[0].benchmark = 'arc')), "field benchmarks[].benchmark: expected one of the audited benchmarks' names (gsm8k), found string \"arc\""],
      [bad('c.json', (o) => (o.benchmarks[0].task = 'arc')), 'field benchmarks[0].task: expected "gsm8k", the task of the audited benchmark "gsm8k", found string "arc"'],
      [bad('d.json', (o) => (o.run.shard = '0/3')), 'field run.shard: expected a whole run: merge the shard outputs first with contam overlap merge, found string "0/3"'],
      [bad('e.json', (o) => delete o.schemaVersion), 'field schemaVersion: expected 1 (expected an overlap.json written by contam overlap (or contam overlap merge)), found nothing (the field is missing)'],
    ];
    for (const [file, message] of cases) expect(audit(file)).toEqual({ code: 1, stdout: '', stderr: `contam: --overlap ${file}: ${message}\n` });
    const missing = audit(join(fx.root, 'nope.json'));
    expect(missing.stderr).toMatch(/^contam: --overlap .*nope\.json: cannot read this file \(.*\); expected an overlap\.json written by contam overlap/);
    expect(missing.stderr.split('\n')).toHaveLength(2);
  });
});
