/**
 * Every message the benchmarks layer writes about bad input. Row problems are
 * `<benchmark>: <file> <line N | row N>: <what>`, where <what> is one of
 *   field "<field>": expected <what was expected>, found <type and value, or "nothing (the field is missing)">
 *   expected a JSON object, found invalid JSON "<start of line>" (<parser message>)
 *   expected <n> fields (<header>), found <m>                    (ragged CSV record)
 *   scored text: expected a non-empty text, found string "<text>"
 * (line N: 1-based line of JSONL/CSV; row N: 0-based row of Parquet or element of a JSON array).
 * By default such rows are skipped and counted; with `strict` the first one is a FatalError with the same message.
 * Whole-input problems are FatalErrors:
 *   <file>: expected <format>, found <what the bytes are> (starts with "<first bytes>")
 *   <file>: expected one of the extensions .jsonl, .json, .csv, .parquet, found "<ext>"
 *   unknown benchmark "<name>"; valid choices: arc, mmlu, truthfulqa, gsm8k, hellaswag, winogrande, custom
 *   <folder>: split "<s>" not found in config "<c>"; valid choices: ...   /   config "<c>" not found; valid choices: ...
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FatalError } from '../../src/errors.js';
import { loadBenchmark } from '../../src/benchmarks/load.js';

function file(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'contam-bad-')), name);
  writeFileSync(path, content);
  return path;
}

const good = { question: 'What is 1 + 1?', answer: 'One and one make two.\n#### 2' };
const gsmLines = [
  JSON.stringify(good),
  '{"question": "broken", "answer": ',
  JSON.stringify({ question: 'No answer here?' }),
  '',
  JSON.stringify({ question: 'Numeric?', answer: 12 }),
  JSON.stringify({ question: ' ', answer: '#### 3' }),
].join('\n');

describe('bad rows are reported with file, line, field, found and expected', () => {
  it('GSM8K JSONL: malformed line, missing field, wrong type and empty text are skipped and counted', async () => {
    const loaded = await loadBenchmark({ task: 'gsm8k', path: file('test.jsonl', gsmLines) });
    expect(loaded.rowsRead).toBe(5);
    expect(loaded.samples.map((s) => s.id)).toEqual(['gsm8k/test/0']);
    expect(loaded.skipped.map((s) => s.message)).toEqual([
      `gsm8k: test.jsonl line 2: expected a JSON object, found invalid JSON "{\\"question\\": \\"broken\\", \\"answer\\": " (${jsonError('{"question": "broken", "answer": ')})`,
      'gsm8k: test.jsonl line 3: field "answer": expected a string, found nothing (the field is missing)',
      'gsm8k: test.jsonl line 5: field "answer": expected a string, found number 12',
      'gsm8k: test.jsonl line 6: scored text: expected a non-empty text, found string "  "',
    ]);
    expect(loaded.skipped[1]).toEqual({
      file: 'test.jsonl',
      location: 'line 3',
      reason: 'field "answer": expected a string, found nothing (the field is missing)',
      message: 'gsm8k: test.jsonl line 3: field "answer": expected a string, found nothing (the field is missing)',
    });
  });

  it('strict mode throws a FatalError at the first bad row', async () => {
    await expect(loadBenchmark({ task: 'gsm8k', path: file('test.jsonl', gsmLines), strict: true })).rejects.toThrow(
      FatalError,
    );
    const path = file('test.jsonl', [JSON.stringify(good), JSON.stringify({ question: 'q' })].join('\n'));
    await expect(loadBenchmark({ task: 'gsm8k', path, strict: true })).rejects.toThrow(
      'gsm8k: test.jsonl line 2: field "answer": expected a string, found nothing (the field is missing)',
    );
  });

  it('MMLU: an out-of-range answer index (Hub schema) and a bad letter (CSV) name the field', async () => {
    const jsonl = file('mmlu.jsonl', JSON.stringify({ question: 'Q?', subject: 's', choices: ['a', 'b', 'c', 'd'], answer: 4 }));
    const loaded = await loadBenchmark({ task: 'mmlu', path: jsonl });
    expect(loaded.skipped.map((s) => s.message)).toEqual([
      'mmlu: mmlu.jsonl line 1: field "answer": expected an integer 0-3 (index into 4 choices), found number 4',
    ]);
    const csv = file('anatomy_test.csv', 'Q1?,a,b,c,d,E\n"Q2,\nsecond line?",a,b,c,d,B\nshort,row\n');
    const fromCsv = await loadBenchmark({ task: 'mmlu', path: csv });
    expect(fromCsv.samples.map((s) => s.text)).toEqual(['Q2,\nsecond line? b']);
    expect(fromCsv.skipped.map((s) => s.message)).toEqual([
      'mmlu: anatomy_test.csv line 1: field "answer": expected a letter A-D, found string "E"',
      'mmlu: anatomy_test.csv line 4: expected 6 fields (question, A, B, C, D, answer), found 2',
    ]);
  });

  it('ARC: an answerKey that names no choice', async () => {
    const row = { id: 'x', question: 'Q?', choices: { text: ['a', 'b'], label: ['A', 'B'] }, answerKey: 'E' };
    const loaded = await loadBenchmark({ task: 'arc', path: file('arc.jsonl', JSON.stringify(row)) });
    expect(loaded.skipped.map((s) => s.message)).toEqual([
      'arc: arc.jsonl line 1: field "answerKey": expected one of the choice labels A, B, found string "E"',
    ]);
  });

  it('JSON arrays locate rows by element index', async () => {
    const path = file('mc_task.json', JSON.stringify([{ question: 'Q?', mc1_targets: { yes: 0, no: 0 } }]));
    const loaded = await loadBenchmark({ task: 'truthfulqa', path });
    expect(loaded.skipped.map((s) => s.message)).toEqual([
      'truthfulqa: mc_task.json row 0: field "mc1_targets": expected one choice labelled 1, found an object',
    ]);
  });
});

describe('whole-input problems are fatal', () => {
  it('a file that is not what its extension says', async () => {
    await expect(loadBenchmark({ task: 'gsm8k', path: file('test.parquet', '{"question": "q"}\n') })).rejects.toThrow(
      new FatalError('test.parquet: expected a Parquet file (starting with "PAR1"), found a JSON object (starts with "{\\"question\\": \\"q\\"}.")'),
    );
    await expect(loadBenchmark({ task: 'gsm8k', path: file('test.jsonl', 'PAR1\0\0\0') })).rejects.toThrow(
      new FatalError('test.jsonl: expected JSON Lines (one JSON object per line), found a Parquet file (starts with "PAR1...")'),
    );
    await expect(loadBenchmark({ task: 'gsm8k', path: file('test.txt', 'x') })).rejects.toThrow(
      new FatalError('test.txt: expected one of the extensions .jsonl, .json, .csv, .parquet, found ".txt"'),
    );
  });

  it('an unknown benchmark name lists the valid choices', async () => {
    await expect(loadBenchmark({ task: 'squad', path: 'x.jsonl' })).rejects.toThrow(
      new FatalError('unknown benchmark "squad"; valid choices: arc, mmlu, truthfulqa, gsm8k, hellaswag, winogrande, custom'),
    );
  });
});

/** V8's own JSON.parse message, so the test does not depend on the Node version's wording. */
function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
