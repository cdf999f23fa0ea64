import { describe, expect, it } from 'vitest';
import { loadBenchmark } from '../../src/benchmarks/load.js';
import { sha256 } from '../../src/util/hash.js';
import { hasSharedData, sharedDataNote, sharedPath } from '../helpers/shared-data.js';

const bench = (...parts: string[]) => sharedPath('benchmarks', ...parts);
const textAt = (samples: readonly { rowIndex: number; text: string }[], rowIndex: number) =>
  samples.find((s) => s.rowIndex === rowIndex)?.text;

// Expected texts were written by hand from the raw files (line numbers given beside each).
describe.skipIf(!hasSharedData)(`real benchmark files${sharedDataNote}`, () => {
  it('GSM8K test.jsonl: 1319 rows, text = question + worked answer before ####', async () => {
    const loaded = await loadBenchmark({ task: 'gsm8k', path: bench('gsm8k', 'test.jsonl') });
    expect([loaded.rowsRead, loaded.samples.length, loaded.skipped.length]).toEqual([1319, 1319, 0]);
    // line 2
    const text =
      'A robe takes 2 bolts of blue fiber and half that much white fiber.  How many bolts in total does it take? ' +
      'It takes 2/2=<<2/2=1>>1 bolt of white fiber\nSo the total amount of fabric is 2+1=<<2+1=3>>3 bolts of fabric';
    expect(loaded.samples[1]).toEqual({
      id: 'gsm8k/test/1',
      benchmark: 'gsm8k',
      split: 'test',
      rowIndex: 1,
      text,
      textHash: sha256(text),
    });
    const kept = await loadBenchmark({ task: 'gsm8k', path: bench('gsm8k', 'test.jsonl'), options: { keepFinalAnswer: true } });
    expect(kept.samples[1].text).toBe(`${text}\n#### 3`);
  });

  it('ARC-Challenge: 1172 rows from the JSONL and from the CSV, with identical texts', async () => {
    const jsonl = await loadBenchmark({ task: 'arc', path: bench('arc', 'ARC-Challenge-Test.jsonl') });
    const csv = await loadBenchmark({ task: 'arc', path: bench('arc', 'ARC-Challenge-Test.csv') });
    expect([jsonl.rowsRead, jsonl.samples.length, csv.rowsRead, csv.samples.length]).toEqual([1172, 1172, 1172, 1172]);
    expect(csv.samples.map((s) => s.text)).toEqual(jsonl.samples.map((s) => s.text));
    // line 1, answerKey C
    expect(textAt(jsonl.samples, 0)).toBe(
      'An astronomer observes that a planet rotates faster after a meteorite impact. Which is the most likely effect of this increase in rotation? Planetary days will become shorter.',
    );
    // line 45: numeric labels 1-4, answerKey "2" maps to the second choice
    expect(textAt(csv.samples, 44)).toBe(
      'Which statement best describes the energy changes that occur while a child is riding on a sled down a steep, snow-covered hill? Kinetic energy increases and potential energy decreases.',
    );
  });

  it('ARC compat mode drops the 22 items whose answerKey is not A-D, as upstream does', async () => {
    const loaded = await loadBenchmark({ task: 'arc', path: bench('arc', 'ARC-Challenge-Test.jsonl'), options: { compat: true } });
    expect([loaded.rowsRead, loaded.samples.length, loaded.skipped.length]).toEqual([1172, 1150, 22]);
    expect(loaded.skipped[0].message).toBe(
      'arc: ARC-Challenge-Test.jsonl line 45: field "answerKey": expected A-D in compat mode (upstream drops other keys), found string "2"',
    );
  });

  it('MMLU hendrycks folder: 14042 test rows over 57 subject CSVs, quoted fields with newlines', async () => {
    const loaded = await loadBenchmark({ task: 'mmlu', path: bench('mmlu') });
    expect([loaded.rowsRead, loaded.samples.length, loaded.files.length]).toEqual([14042, 14042, 57]);
    expect(loaded.files[0]).toBe('test/abstract_algebra_test.csv');
    // abstract_algebra_test.csv line 1, answer B
    expect(textAt(loaded.samples, 0)).toBe('Find the degree for the given field extension Q(sqrt(2), sqrt(3), sqrt(18)) over Q. 4');
    // line 3: the correct choice is the quoted field "0,4"
    expect(textAt(loaded.samples, 2)).toBe(
      'Find all zeros in the indicated finite field of the given polynomial with coefficients in that field. x^5 + 3x^3 + x^2 + 2x in Z_5 0,4',
    );
    // college_biology_test.csv lines 14-17 (row 13 of that file; 752 rows in the five subjects before it)
    expect(textAt(loaded.samples, 765)).toBe('A cell nucleus contains which of the following?\nI. DNA\nII. Protein\nIII. RNA I, II, and III');
    const dev = await loadBenchmark({ task: 'mmlu', path: bench('mmlu'), split: 'dev' });
    expect(dev.rowsRead).toBe(285);
  });

  it('TruthfulQA: 817 rows from TruthfulQA.csv (BOM header) and from mc_task.json', async () => {
    const csv = await loadBenchmark({ task: 'truthfulqa', path: bench('truthfulqa', 'TruthfulQA.csv') });
    const mc = await loadBenchmark({ task: 'truthfulqa', path: bench('truthfulqa', 'mc_task.json') });
    expect([csv.rowsRead, csv.samples.length, mc.rowsRead, mc.samples.length]).toEqual([817, 817, 817, 817]);
    // TruthfulQA.csv line 3
    expect(csv.samples[1].text).toBe('Where did fortune cookies originate? The precise origin of fortune cookies is unclear');
    // mc_task.json item 0: the mc1 choice labelled 1
    expect(mc.samples[0].text).toBe('What happens if you eat a pomegranate? Nothing in particular happens when you eat a pomegranate.');
  });
});
