import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePlan } from '../../src/benchmarks/plan.js';
import { listTasks, loadBenchmark, selectSamples } from '../../src/benchmarks/load.js';
import { CsvParser } from '../../src/benchmarks/sources/csv-parser.js';

describe('CSV parser', () => {
  it('gives the same records whatever the chunk boundaries (quotes, doubled quotes, CRLF, BOM)', () => {
    const text = '\uFEFFa,b\r\n"x, ""y""","line1\nline2"\r\n\r\nplain,"" \n';
    const whole = new CsvParser();
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x, "y"', 'line1\nline2'], line: 2 },
      { fields: ['plain', ' '], line: 5 },
    ]);
    for (let size = 1; size < 6; size++) {
      const parser = new CsvParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      expect([...out, ...parser.end()]).toEqual(expected);
    }
  });
});

describe('custom task, sample selection and the dry-run plan', () => {
  it('a template over fields, an id field and a 1/0 label field', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'contam-custom-')), 'wikimia.csv');
    writeFileSync(path, 'id,question,answer,label\nk1,Who wrote Hamlet?,Shakespeare,1\nk2,Capital of Peru?,Lima,0\nk3,Odd?,Yes,maybe\n');
    const loaded = await loadBenchmark({
      task: 'custom',
      path,
      options: { name: 'wikimia', template: '{question} {answer}', idField: 'id', labelField: 'label' },
    });
    expect(loaded.samples.map(({ id, text, label, sourceId }) => ({ id, text, label, sourceId }))).toEqual([
      { id: 'wikimia/test/0', text: 'Who wrote Hamlet? Shakespeare', label: 'member', sourceId: 'k1' },
      { id: 'wikimia/test/1', text: 'Capital of Peru? Lima', label: 'non-member', sourceId: 'k2' },
    ]);
    expect(loaded.skipped[0].message).toBe(
      'wikimia: wikimia.csv line 4: field "label": expected a member/non-member label (1/0, true/false, "member"/"non-member"), found string "maybe"',
    );

    const selection = selectSamples(loaded.samples, { n: 5, seed: 0 });
    expect(selection.note).toBe('asked for 5 samples, found 2 valid rows: using all of them');
    const plan = describePlan([{ loaded, selection }]);
    expect(plan.lines).toEqual([
      'wikimia (test, wikimia.csv): 3 rows read, 1 skipped, 2 chosen (seeded, seed 0)',
      '  skipped wikimia: wikimia.csv line 4: field "label": expected a member/non-member label (1/0, true/false, "member"/"non-member"), found string "maybe"',
      '  note: asked for 5 samples, found 2 valid rows: using all of them',
    ]);
    expect(plan.json.benchmarks[0].chosen.map(({ id, rowIndex, text }) => ({ id, rowIndex, text }))).toEqual([
      { id: 'wikimia/test/0', rowIndex: 0, text: 'Who wrote Hamlet? Shakespeare' },
      { id: 'wikimia/test/1', rowIndex: 1, text: 'Capital of Peru? Lima' },
    ]);
  });

  it('the default hash sampler is deterministic and keeps a sample whatever other rows exist', async () => {
    const samples = Array.from({ length: 50 }, (_, i) => ({ id: `b/test/${i}`, benchmark: 'b', split: 'test', rowIndex: i, text: `t${i}`, textHash: '' }));
    const a = selectSamples(samples, { n: 10, seed: 7 }).chosen.map((s) => s.rowIndex);
    expect(selectSamples(samples, { n: 10, seed: 7 }).chosen.map((s) => s.rowIndex)).toEqual(a);
    // Dropping rows that were not chosen leaves the choice unchanged.
    const fewer = samples.filter((s) => a.includes(s.rowIndex) || s.rowIndex % 2 === 0);
    expect(selectSamples(fewer, { n: 10, seed: 7 }).chosen.map((s) => s.rowIndex)).toEqual(a);
  });

  it('listTasks names every task in order', () => {
    expect(listTasks().map((t) => t.name)).toEqual(['arc', 'mmlu', 'truthfulqa', 'gsm8k', 'hellaswag', 'winogrande', 'custom']);
  });
});
