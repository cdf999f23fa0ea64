/**
 * The blind baseline end to end (issue 17): a labelled custom benchmark whose members and non-members
 * are written by the same generator and differ only in length, audited with the demo's models. No model
 * is needed to tell them apart, and report.md and results.json must say so.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run.js';
import type { AuditConfig, AuditEvent, AuditResults } from '../../src/audit/types.js';
import { DEFAULTS } from '../../src/cli/config.js';
import { prepareDemo } from '../../src/demo/prepare.js';
import { ANIMALS, COLOURS, FEATURES } from '../../src/demo/words.js';
import { writeReports } from '../../src/report/write.js';
import { seededRandom } from '../../src/util/random.js';

const root = mkdtempSync(join(tmpdir(), 'contam-length-confound-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Demo-vocabulary sentences; a member has one, a non-member three. */
function lengthOnlyRows(): string[] {
  const random = seededRandom(17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const sentence = () => `The ${pick(COLOURS)} ${pick(ANIMALS)} is in the ${pick(FEATURES)} .`;
  return Array.from({ length: 24 }, (_, i) => {
    const member = i % 2 === 0;
    const text = Array.from({ length: member ? 1 : 3 }, sentence).join(' ');
    return JSON.stringify({ id: `len-${i}`, text, label: member ? 'member' : 'non-member' });
  });
}

describe('a labelled split that differs only in length, audited with the demo models', () => {
  let results: AuditResults;
  let md: string;
  let file: AuditResults;
  const warnings: string[] = [];

  beforeAll(async () => {
    const demo = await prepareDemo({ cacheDir: join(root, 'cache'), size: 'ci' });
    const path = join(root, 'length-only.jsonl');
    writeFileSync(path, `${lengthOnlyRows().join('\n')}\n`);
    const config: AuditConfig = {
      ...DEFAULTS,
      target: { path: demo.targetDir },
      reference: { path: demo.referenceDir },
      benchmarks: [{ name: 'length-only', task: 'custom', path, options: { template: '{text}', idField: 'id', labelField: 'label' } }],
      detectors: ['loss', 'min-k'],
      neighbours: 20,
      failOn: 'never',
      cache: { enabled: false, dir: join(root, 'cache') },
    };
    const out = await runAudit(config, { onEvent: (e: AuditEvent) => (e.type === 'warning' ? warnings.push(e.message) : undefined) });
    results = out.results;
    const dir = join(root, 'report');
    writeReports(results, out.samples, { dir });
    md = readFileSync(join(dir, 'report.md'), 'utf8');
    file = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as AuditResults;
  });

  it('finds the texts alone separate members from non-members, and warns in results.json', () => {
    const [bench] = file.benchmarks;
    const base = bench.blindBaseline!;
    expect({ members: base.members, nonMembers: base.nonMembers, folds: base.folds }).toEqual({ members: 12, nonMembers: 12, folds: 5 });
    expect(base.auroc).toBeGreaterThanOrEqual(0.9);
    // Every member is shorter than every non-member.
    expect(base.lengthAuroc).toBe(0);
    expect(base.warning).toBe(
      `a model-free bag-of-words classifier separates members from non-members with AUROC ${base.auroc.toFixed(2)} (word count alone: 0.00): ` +
        "the labelled AUROCs measure the split's distribution shift as much as the detectors",
    );
    expect(bench.notes).toContain(base.warning);
    expect(file.benchmarks[0].blindBaseline).toEqual(results.benchmarks[0].blindBaseline);
    expect(warnings).toContain(`length-only: ${base.warning}`);
  });

  it('shows the baseline rows and the warning in report.md beside the detectors\' AUROCs', () => {
    const base = results.benchmarks[0].blindBaseline!;
    const section = md.slice(md.indexOf('## Labelled evaluation'), md.indexOf('## Reproducibility'));
    expect(section).toMatch(/\| length-only \| loss \| \d\.\d\d \[/);
    expect(section).toContain(`| length-only | blind baseline (bag of words, no model) | ${base.auroc.toFixed(2)} [`);
    expect(section).toContain('| length-only | length alone (word count, longer = member) | 0.00 [0.00, 0.00] | – | – | – | – | 12 / 12 |');
    expect(section).toContain(`> ⚠️ **length-only**: ${base.warning}.`);
    expect(md).toContain(`- Note: ${base.warning}\n`);
  });
});
