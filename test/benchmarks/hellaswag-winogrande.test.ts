import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBenchmark } from '../../src/benchmarks/load.js';
import { cleanHellaswag } from '../../src/benchmarks/tasks/hellaswag.js';
import { writeHubParquet } from './hub-parquet.js';

describe('HellaSwag (Hub Rowan/hellaswag schema, data/<split>-*.parquet)', () => {
  it('ctx + " " + the ending at the string label, with [title]/[step] artefacts cleaned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contam-hs-'));
    const rows = [
      {
        ctx: 'Home and Garden [title] How to clean a grill. [step] Heat the grill.',
        endings: ['Eat it.', 'Scrub the grates [substeps] with a brush.', 'Sing.', 'Leave.'],
        label: '1',
      },
      { ctx: 'A man is standing on a roof.', endings: ['He jumps.', 'He waves.', 'He sits.', 'He sleeps.'], label: '' },
    ];
    writeHubParquet(join(dir, 'data', 'validation-00000-of-00001.parquet'), { ctx: 'string', endings: 'string-list', label: 'string' }, rows);
    const loaded = await loadBenchmark({ task: 'hellaswag', path: dir });
    expect(loaded.samples.map((s) => [s.id, s.text])).toEqual([
      ['hellaswag/validation/0', 'Home and Garden. How to clean a grill. Heat the grill. Scrub the grates with a brush.'],
    ]);
    // The unlabelled test split has label "": counted, not scored.
    expect(loaded.skipped.map((s) => s.message)).toEqual([
      'hellaswag: data/validation-00000-of-00001.parquet row 1: field "label": expected an integer 0-3 (index into 4 choices), found string ""',
    ]);
  });

  it('cleanHellaswag equals lm-evaluation-harness preprocess, single-pass double-space collapse included', () => {
    // Python: t.strip().replace(" [title]", ". "); re.sub("\\[.*?\\]", "", t); t.replace("  ", " ")
    expect(cleanHellaswag('  Cars [title] Fix a tyre  [header] now ')).toBe('Cars. Fix a tyre  now');
  });
});

describe('Winogrande (Hub winogrande schema, winogrande_xl/<split>-*.parquet)', () => {
  it('the "_" is replaced by the option the answer names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'contam-wg-'));
    const rows = [
      { sentence: 'Sarah was a much better surgeon than Maria so _ always got the harder cases.', option1: 'Sarah', option2: 'Maria', answer: '1' },
      { sentence: 'The trophy does not fit in the suitcase because the _ is too small.', option1: 'trophy', option2: 'suitcase', answer: '2' },
      { sentence: 'No label here _.', option1: 'a', option2: 'b', answer: '' },
    ];
    const columns = { sentence: 'string', option1: 'string', option2: 'string', answer: 'string' } as const;
    writeHubParquet(join(dir, 'winogrande_xl', 'validation-00000-of-00001.parquet'), columns, rows);
    writeHubParquet(join(dir, 'winogrande_debiased', 'validation-00000-of-00001.parquet'), columns, rows.slice(0, 1));
    const loaded = await loadBenchmark({ task: 'winogrande', path: dir });
    expect(loaded.samples.map((s) => s.text)).toEqual([
      'Sarah was a much better surgeon than Maria so Sarah always got the harder cases.',
      'The trophy does not fit in the suitcase because the suitcase is too small.',
    ]);
    expect(loaded.skipped.map((s) => s.message)).toEqual([
      'winogrande: winogrande_xl/validation-00000-of-00001.parquet row 2: field "answer": expected "1" or "2", found string ""',
    ]);
  });
});
