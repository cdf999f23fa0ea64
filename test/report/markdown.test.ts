import { describe, expect, it } from 'vitest';
import type { AuditResults } from '../../src/audit/types.js';
import { chartFiles, displayCommand, displayPath } from '../../src/report/format.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadPublishedReferences } from '../../src/report/references.js';
import { blindWarning, fixtureResults, hostileName } from './fixture-results.js';
import { tableAfter, tables } from './md-parse.js';

const references = loadPublishedReferences();
const charts = chartFiles(fixtureResults.benchmarks);
const md = renderMarkdown(fixtureResults, { references, charts });
const escapedHostile = 'my\\|bench \\`x\\` &lt;script&gt;alert(1)&lt;/script&gt; line2 ␛\\[31mred␛\\[0m';

describe('renderMarkdown', () => {
  it("opens with Table 9's shape: a row for the target and one for the control, benchmarks as columns", () => {
    const results = tableAfter(md, '## Results');
    expect(results[0]).toEqual(['Model', 'arc', 'gsm8k', escapedHostile]);
    expect(results).toHaveLength(2 + 2);
    expect(results[2]).toEqual([
      'upstage/SOLAR-10.7B-Instruct-v1.0 (target)',
      '0.06 [0.00, 0.12] ✅ clean',
      '0.92 [0.86, 0.98] 🚩 contaminated',
      '0.30 [0.20, 0.40] ⚠️ suspicious',
    ]);
    expect(results[3]).toEqual(["huggyllama/llama-7b (control: reference in the target's seat)", '0.09 [0.03, 0.17]', '0.70 [0.64, 0.78]', '0.12 [0.06, 0.20]']);
  });

  it('lists every detector below the headline, with both readings', () => {
    const every = tableAfter(md, '### Every detector');
    expect(every[0]).toEqual(['Benchmark', 'Detector', 'n', 'Share (s < 0.1) [95% CI]', 'Control', 'Target − control [95% CI]', 'Verdict', 'Upstream reading']);
    expect(every).toHaveLength(2 + 6);
    expect(every[4]).toEqual(['gsm8k', 'loss (primary)', '100', '0.92 [0.86, 0.98]', '0.70', '+0.22 [+0.13, +0.31]', '🚩 contaminated', '🚩 contaminated']);
    expect(every[5]).toEqual(['gsm8k', 'min-k:k=0.2', '100', '0.61 [0.51, 0.71]', '0.55', '+0.06 [−0.03, +0.15]', '⚠️ suspicious', '⚠️ suspicious']);
  });

  it('keeps every table rectangular despite hostile text', () => {
    for (const t of tables(md)) {
      for (const row of t) expect(row).toHaveLength(t[0].length);
    }
  });

  it('lets no dataset text inject HTML, code spans or terminal escapes', () => {
    expect(md).not.toMatch(/<[A-Za-z!/?]/);
    expect(md).not.toContain('\u001b');
    expect(md).not.toContain('<script>');
    expect(md).not.toContain(hostileName.split('\n')[0]);
    // The hostile name appears only in its escaped form (headings, tables, reproducibility, the
    // blind-baseline rows and warning).
    expect(md.split(escapedHostile).length - 1).toBe(9);
  });

  it('states the thresholds, the SOLAR card line, and the method in plain words', () => {
    expect(md).toContain('Verdicts are relative to the control (fixed mode)');
    expect(md).toContain("its 95% interval clears **+0.10**; ⚠️ suspicious when significant but smaller; ✅ clean when the target is not distinguishable from the control");
    expect(renderMarkdown({ ...fixtureResults, config: { ...fixtureResults.config, mode: 'compat' } })).toContain(
      'Verdicts are the upstream reading (compat mode): ⚠️ suspicious above **0.50**, 🚩 contaminated above **0.85**.',
    );
    expect(md).toContain('"well below **0.9**"');
    expect(md).toContain('not n-gram overlap');
    expect(md).toContain('10/101 ≈ 0.099');
    expect(md).toContain('Llama-2-70B scores 0.89 on GSM8K');
  });

  it('sets other models\' published numbers apart, labelled as not this audit', () => {
    const published = tableAfter(md, "## Other models' published numbers, not this audit");
    expect(published[0].slice(2, 8)).toEqual(['ARC', 'MMLU', 'TruthfulQA', 'GSM8K', 'HellaSwag', 'Winogrande']);
    expect(published).toHaveLength(2 + 5);
    expect(published[2].slice(0, 8)).toEqual(['upstage/SOLAR-10.7B-Instruct-v1.0', 'not stated', '0.06', '0.15', '0.28', '0.70', 'not supported', 'not supported']);
    expect(published[5].slice(0, 6)).toEqual(['meta-llama/Llama-2-70b-hf (presumed-clean control)', 'Llama-7B', '0.22', '–', '0.51', '0.89']);
    expect(md).toContain("> These are other models' published numbers, not this audit.");
    expect(renderMarkdown(fixtureResults)).not.toContain('published numbers');
  });

  it('shows per-benchmark details with p-value, difference, McNemar, the reason and chart links', () => {
    const gsm = md.slice(md.indexOf('### gsm8k'));
    const [facts, stats] = tables(gsm);
    expect(facts).toContainEqual(['Neighbours saved by early stopping', '1590']);
    expect(facts).toContainEqual(['Errors', '2']);
    expect(stats[2]).toEqual(['loss', '0.92 [0.86, 0.98]', '0.10', '< 0.0001', '0.70 [0.64, 0.78]', '+0.22 [+0.13, +0.31]', '24 / 2 (0.0031)', '🚩 contaminated', '🚩 contaminated']);
    expect(gsm).toContain('Verdict (loss, relative reading): 🚩 contaminated: target − control 0.22.');
    expect(md).not.toContain('Wilcoxon');
    expect(gsm).toContain('- sample gsm8k/test/17: text \\| longer than \\`context\\` &lt;b&gt;');
    expect(gsm).toContain('![Neighbour-rank distribution, loss](charts/gsm8k.svg)');
    expect(renderMarkdown(fixtureResults)).not.toContain('charts/');
  });

  it('adds the labelled-evaluation table only when a detector has labels', () => {
    const labelled = tableAfter(md, '## Labelled evaluation');
    expect(labelled[0]).toEqual(['Benchmark', 'Detector', 'AUROC [95% CI]', 'TPR@1% FPR', 'TPR@5% FPR', 'FPR@95% TPR', 'Members / non-members']);
    expect(labelled[2].slice(1)).toEqual(['loss', '0.71 [0.62, 0.79]', '0.05', '0.18', '0.74', '50 / 50']);
    const unlabelled: AuditResults = {
      ...fixtureResults,
      benchmarks: fixtureResults.benchmarks.map(({ blindBaseline: _, ...b }) => ({ ...b, detectors: b.detectors.map(({ labelled: _, ...d }) => d) })),
    };
    expect(renderMarkdown(unlabelled)).not.toContain('## Labelled evaluation');
  });

  it('puts the blind baseline under its benchmark\'s detectors, says how to read it, and repeats its warning', () => {
    const labelled = tableAfter(md, '## Labelled evaluation');
    expect(labelled.slice(3)).toEqual([
      [escapedHostile, 'blind baseline (bag of words, no model)', '0.93 [0.88, 0.97]', '–', '–', '–', '50 / 50'],
      [escapedHostile, 'length alone (word count, longer = member)', '0.19 [0.11, 0.28]', '–', '–', '–', '50 / 50'],
    ]);
    const section = md.slice(md.indexOf('## Labelled evaluation'), md.indexOf('## Reproducibility'));
    expect(section).toContain('The *no model* rows use the item texts alone, as Das et al. 2024 (arXiv 2406.16201)');
    expect(section).toContain('stratified 5-fold cross-validation, fewer folds for a small class');
    expect(section).toContain(
      `> ⚠️ **${escapedHostile}**: a model-free bag-of-words classifier separates members from non-members with AUROC 0.93 (word count alone: 0.19): ` +
        "the labelled AUROCs measure the split's distribution shift as much as the detectors.",
    );
    // The benchmark's notes carry it too, whole (notes are cut at 200 characters).
    expect(md).toContain(`- Note: ${blindWarning}\n`);
  });

  it('says when a class was too small to cross-validate', () => {
    const tiny: AuditResults = {
      ...fixtureResults,
      benchmarks: fixtureResults.benchmarks.map((b) =>
        b.blindBaseline
          ? { ...b, notes: [], blindBaseline: { ...b.blindBaseline, auroc: NaN, interval: { low: NaN, high: NaN }, folds: 0, warning: undefined, method: 'too few items to cross-validate (1 members, 5 non-members; at least 2 of each needed): word count alone' } }
          : b,
      ),
    };
    const rendered = renderMarkdown(tiny);
    expect(tableAfter(rendered, '## Labelled evaluation')[3].slice(1, 3)).toEqual(['blind baseline (bag of words, no model)', 'n/a [n/a, n/a]']);
    expect(rendered).toContain(`- ${escapedHostile}: too few items to cross-validate (1 members, 5 non-members; at least 2 of each needed): word count alone.`);
    expect(rendered).not.toContain('⚠️ **');
  });

  it('shows a partial-run banner only for partial results', () => {
    expect(md).not.toContain('Partial run');
    const partial = renderMarkdown({ ...fixtureResults, partial: true });
    expect(partial.split('\n')[2]).toBe(
      '> ⚠️ **Partial run.** The audit stopped before it finished: 298 of 300 planned samples were scored. ' +
        'The numbers below cover only the scored samples and their intervals are wider; do not quote them as a full audit.',
    );
  });

  it('ends with a reproducibility block holding fingerprints and the exact command', () => {
    const repro = tableAfter(md, '## Reproducibility');
    expect(repro).toContainEqual(['Target', 'upstage/SOLAR-10.7B-Instruct-v1.0, local ONNX, fingerprint sha256:9f2c1a (weights and tokenizer hashed); dtype q8, layout decoder-kv']);
    expect(repro).toContainEqual(['Seed', '0']);
    expect(md.endsWith(`\`\`\`sh\n${fixtureResults.command}\n\`\`\`\n`)).toBe(true);
    const sneaky = renderMarkdown({ ...fixtureResults, command: 'contam audit --name "```\n<img src=x>"' });
    expect(sneaky.endsWith('````sh\ncontam audit --name "```\n<img src=x>"\n````\n')).toBe(true);
  });
});

describe('local paths in report.md', () => {
  it('shortens every absolute path of the command line, inside lists and after =, and leaves URLs alone', () => {
    expect(displayCommand('contam audit --target /a/b/m/target -b gsm8k=/tmp/x/f/gsm8k.jsonl,arc=/tmp/x/f/arc.jsonl --out-dir=/root/y/z http://h:8000/v1', '/work')).toBe(
      'contam audit --target …/m/target -b gsm8k=…/f/gsm8k.jsonl,arc=…/f/arc.jsonl --out-dir=…/y/z http://h:8000/v1',
    );
    expect(displayPath('/work/data/arc.jsonl', '/work')).toBe('data/arc.jsonl');
    expect(displayPath('allenai/ai2_arc', '/work')).toBe('allenai/ai2_arc');
  });
});
