/**
 * Bad-input corpus (issue #9, point 3), benchmark data files. Each case is one row of a table:
 * either the audit goes on, skipping the bad row and counting it in results.json (with the
 * plain logger's warning line), or the whole input is unusable and the CLI prints one line and
 * exits 1. Never a stack trace, never a number computed from damaged text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../src/audit/types.js';
import { STACK_LINE } from '../e2e/cli.js';
import { expectOneSampleError, jsonError, lastLine, warnings, writeCorpus, type Corpus } from './setup.js';

let corpus: Corpus;
beforeAll(async () => {
  corpus = await writeCorpus('data');
});

const row = (i: number) => JSON.stringify({ question: `what is the number ${i} ?`, answer: `it is the number .\n#### ${i}` });
const text = (i: number) => `what is the number ${i} ? it is the number .`;
const lines = (...xs: string[]) => `${xs.join('\n')}\n`;

function parquet(name: string, columns: Record<string, string[]>): Buffer {
  const path = corpus.file(name, '');
  parquetWriteFile({ filename: path, columnData: Object.entries(columns).map(([column, data]) => ({ name: column, data, type: 'STRING' as const })) });
  return readFileSync(path);
}

interface SkipCase {
  readonly name: string;
  readonly task?: string;
  readonly file: () => [name: string, content: string | Buffer];
  /** results.json: rows read, skip reasons (without file and line), samples scored. */
  readonly rowsRead: number;
  readonly reasons: readonly string[];
  readonly scored: number;
  /** The warning line naming the first skipped row, file and line included. */
  readonly firstSkipped?: string;
}

// Cases where one bad row is skipped, counted, and the rest of the run goes on (exit 0).
const skipCases: SkipCase[] = [
  {
    // A line cut off mid-object: V8's parser message is quoted after the start of the line.
    name: 'malformed JSONL line',
    file: () => ['malformed.jsonl', lines(row(0), '{"question": "x", "answer": ', row(2))],
    rowsRead: 3,
    reasons: [`expected a JSON object, found invalid JSON "{\\"question\\": \\"x\\", \\"answer\\": " (${jsonError('{"question": "x", "answer": ')})`],
    scored: 2,
    firstSkipped: `gsm8k: malformed.jsonl line 2: expected a JSON object, found invalid JSON "{\\"question\\": \\"x\\", \\"answer\\": " (${jsonError('{"question": "x", "answer": ')})`,
  },
  {
    // A JSON value that is not an object on its own line.
    name: 'JSONL line that is an array, not an object',
    file: () => ['array-line.jsonl', lines(row(0), '["what", "is", "this"]', row(2))],
    rowsRead: 3,
    reasons: ['expected a JSON object, found an array of 3'],
    scored: 2,
  },
  {
    name: 'missing field',
    file: () => ['missing.jsonl', lines(row(0), JSON.stringify({ question: 'no answer here' }), row(2))],
    rowsRead: 3,
    reasons: ['field "answer": expected a string, found nothing (the field is missing)'],
    scored: 2,
    firstSkipped: 'gsm8k: missing.jsonl line 2: field "answer": expected a string, found nothing (the field is missing)',
  },
  {
    // MMLU in the Hub schema: answer is an index into choices.
    name: 'answer index out of range (MMLU)',
    task: 'mmlu',
    file: () => [
      'mmlu.jsonl',
      lines(
        JSON.stringify({ question: 'what is one ?', subject: 's', choices: ['a', 'b', 'c', 'd'], answer: 1 }),
        JSON.stringify({ question: 'what is two ?', subject: 's', choices: ['a', 'b', 'c', 'd'], answer: 4 }),
      ),
    ],
    rowsRead: 2,
    reasons: ['field "answer": expected an integer 0-3 (index into 4 choices), found number 4'],
    scored: 1,
  },
  {
    // ARC: an answerKey naming no choice.
    name: 'answer key out of range (ARC)',
    task: 'arc',
    file: () => [
      'arc.jsonl',
      lines(
        JSON.stringify({ id: 'a', question: 'what is one ?', choices: { text: ['x', 'y'], label: ['A', 'B'] }, answerKey: 'A' }),
        JSON.stringify({ id: 'b', question: 'what is two ?', choices: { text: ['x', 'y'], label: ['A', 'B'] }, answerKey: 'E' }),
      ),
    ],
    rowsRead: 2,
    reasons: ['field "answerKey": expected one of the choice labels A, B, found string "E"'],
    scored: 1,
  },
  {
    // question + " " + answer is a single space: nothing to score.
    name: 'empty text',
    file: () => ['empty-text.jsonl', lines(row(0), JSON.stringify({ question: '', answer: '' }))],
    rowsRead: 2,
    reasons: ['scored text: expected a non-empty text, found string " "'],
    scored: 1,
  },
  {
    name: 'whitespace-only text',
    file: () => ['blank-text.jsonl', lines(row(0), JSON.stringify({ question: '  \t', answer: '\n ' }))],
    rowsRead: 2,
    reasons: ['scored text: expected a non-empty text, found string "  \\t "'],
    scored: 1,
  },
  {
    // Bytes 0xff 0xfe are never valid UTF-8: the row is skipped, not scored as "\uFFFD\uFFFD".
    name: 'invalid UTF-8 in a JSONL line',
    file: () => ['latin1.jsonl', Buffer.concat([Buffer.from(`${row(0)}\n`), Buffer.from('{"question": "caf\xe9 \xff", "answer": "x #### 1"}\n', 'latin1'), Buffer.from(`${row(2)}\n`)])],
    rowsRead: 3,
    reasons: ['expected UTF-8 text, found invalid UTF-8 bytes (shown as \uFFFD: "{\\"question\\": \\"caf\uFFFD \uFFFD\\", \\"answer\\": \\"x ####…")'],
    scored: 2,
  },
  {
    // A record with fewer fields than the header is reported, not guessed at.
    name: 'ragged CSV row',
    file: () => ['ragged.csv', 'question,answer\n"what is one ?","it is one .\n#### 1"\nonly one field\n"what is two ?","two .\n#### 2"\n'],
    rowsRead: 3,
    reasons: ['expected 2 fields (question, answer), found 1'],
    scored: 2,
    firstSkipped: 'gsm8k: ragged.csv line 4: expected 2 fields (question, answer), found 1',
  },
  {
    // An unterminated quote swallows the rest of the file: one problem row, the rows before it survive.
    name: 'CSV with an unclosed quote',
    file: () => ['unclosed.csv', 'question,answer\n"what is one ?","one .\n#### 1"\n"what is two ?,two .\n'],
    rowsRead: 2,
    reasons: ['expected a closing quote, found the end of the file'],
    scored: 1,
  },
];

describe('bad rows are skipped and counted; the audit goes on', () => {
  it.each(skipCases)('$name', (c) => {
    const [name, content] = c.file();
    const path = corpus.file(name, content);
    const task = c.task ?? 'gsm8k';
    const run = corpus.audit(['-b', `${task}=${path}`, '-n', '10']);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(0);
    const bench = run.results!.benchmarks[0];
    expect({ rowsRead: bench.rowsRead, skipped: bench.skipped, reasons: bench.skippedReasons.map((r) => r.reason), scored: bench.samplesScored, errors: bench.errors }).toEqual({
      rowsRead: c.rowsRead,
      skipped: c.reasons.length,
      reasons: c.reasons,
      scored: c.scored,
      errors: 0,
    });
    const skippedLine = warnings(run.stderr).find((l) => l.includes('rows skipped'));
    expect(skippedLine).toMatch(new RegExp(`^warning: ${task}: ${c.reasons.length} rows skipped \\(first: ${task}: ${name} (line|row) \\d+: `));
    if (c.firstSkipped) expect(skippedLine).toBe(`warning: ${task}: ${c.reasons.length} rows skipped (first: ${c.firstSkipped})`);
  });
});

describe('inputs the audit tolerates or reports per sample', () => {
  it('a UTF-8 byte-order mark is tolerated: the first row loads, its text without the BOM', () => {
    const path = corpus.file('bom.jsonl', `\uFEFF${lines(row(0), row(1))}`);
    const run = corpus.audit(['-b', `gsm8k=${path}`, '-n', '2', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.benchmarks[0]).toMatchObject({ rowsRead: 2, valid: 2, skipped: { count: 0 } });
    expect(plan.benchmarks[0].chosen.find((s: { rowIndex: number }) => s.rowIndex === 0).text).toBe(text(0));
  });

  it('a BOM in a CSV header is tolerated too', () => {
    const path = corpus.file('bom.csv', '\uFEFFquestion,answer\nwhat is one ?,one .\n');
    const run = corpus.audit(['-b', `gsm8k=${path}`, '--dry-run', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).benchmarks[0]).toMatchObject({ rowsRead: 1, valid: 1 });
  });

  it('a 1 MB text is a per-sample error counted in results.json; the other sample is scored', () => {
    const huge = JSON.stringify({ question: 'the '.repeat(262_144), answer: 'it is .\n#### 1' });
    const path = corpus.file('huge.jsonl', lines(row(0), huge));
    const run = corpus.audit(['-b', `gsm8k=${path}`, '-n', '2']);
    expectOneSampleError(run, 'gsm8k/test/1: text has 262147 tokens; the limit is 8192 (--max-tokens)');
    // The report counts it where a reader looks.
    expect(readFileSync(join(run.outDir, 'report.md'), 'utf8')).toContain('| Errors | 1 |');
    const samples = readFileSync(join(run.outDir, 'samples.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SampleRecord);
    expect(samples.map((s) => s.id)).toEqual(['gsm8k/test/0']);
  });

  it('--max-tokens lowers the limit, with the same per-sample message', () => {
    const path = corpus.file('short.jsonl', lines(row(0), row(1)));
    const run = corpus.audit(['-b', `gsm8k=${path}`, '-n', '2', '--max-tokens', '5']);
    expect([...run.results!.benchmarks[0].errorMessages].sort()).toEqual([
      'gsm8k/test/0: text has 11 tokens; the limit is 5 (--max-tokens)',
      'gsm8k/test/1: text has 11 tokens; the limit is 5 (--max-tokens)',
    ]);
    // Nothing could be scored: exit 1 after the reports are written, naming the first error.
    expect(run.code).toBe(1);
    expect(lastLine(run.stderr)).toMatch(/^contam: gsm8k: no sample could be scored \(2 errors; first: gsm8k\/test\/\d: text has 11 tokens; the limit is 5 \(--max-tokens\)\); reports written to .*report\.md$/);
  });

  it('more samples than rows: all rows are used and a warning says so', () => {
    const path = corpus.file('three.jsonl', lines(row(0), row(1), row(2)));
    const run = corpus.audit(['-b', `gsm8k=${path}`, '-n', '5']);
    expect(run.code).toBe(0);
    expect(warnings(run.stderr)).toEqual(['warning: gsm8k: asked for 5 samples, found 3 valid rows: using all of them']);
    expect(run.results!.benchmarks[0]).toMatchObject({ samplesPlanned: 3, samplesScored: 3, notes: ['asked for 5 samples, found 3 valid rows: using all of them'] });
  });
});

interface FatalCase {
  readonly name: string;
  readonly file: () => [name: string, content: string | Buffer];
  /** The one stderr line; `<path>` is the data file's full path. */
  readonly message: string;
}

// Inputs that cannot be audited at all: one line, exit 1, nothing run.
const fatalCases: FatalCase[] = [
  // A .json file must hold an array (a file starting with "{" is read as JSON Lines, as the Hub writes them).
  { name: 'JSON that is not an array (a string)', file: () => ['string.json', '"just text"'], message: 'contam: string.json: expected a JSON array of objects, found plain text (starts with "\\"just text\\"")' },
  { name: 'JSON that is not an array (a number)', file: () => ['number.json', '42\n'], message: 'contam: number.json: expected a JSON array of objects, found plain text (starts with "42.")' },
  // An array of non-objects: every row is skipped, so there is nothing to audit.
  {
    name: 'JSON array without one object',
    file: () => ['numbers.json', '[1, "x"]'],
    message: 'contam: gsm8k: no valid rows in numbers.json: 2 of 2 rows skipped (first: numbers.json row 0: expected a JSON object, found number 1)',
  },
  { name: 'empty file', file: () => ['empty.jsonl', ''], message: 'contam: gsm8k: no valid rows in empty.jsonl (no rows read)' },
  { name: 'whitespace-only file', file: () => ['blank.jsonl', '  \n\n \t \n'], message: 'contam: gsm8k: no valid rows in blank.jsonl (no rows read)' },
  {
    name: 'every row bad',
    file: () => ['all-bad.jsonl', lines('{', '{"question": 1}')],
    message: `contam: gsm8k: no valid rows in all-bad.jsonl: 2 of 2 rows skipped (first: all-bad.jsonl line 1: expected a JSON object, found invalid JSON "{" (${jsonError('{')}))`,
  },
  {
    // Cut in half: the footer (and its magic bytes) is gone.
    name: 'truncated parquet',
    file: () => {
      const whole = parquet('whole.parquet', { question: ['what is one ?', 'what is two ?'], answer: ['one .', 'two .'] });
      return ['truncated.parquet', whole.subarray(0, Math.floor(whole.length / 2))];
    },
    message: 'contam: truncated.parquet: expected a readable Parquet footer, found parquet file invalid (footer != PAR1)',
  },
  {
    // Without "answer" no row can become a GSM8K text.
    name: 'parquet missing a column',
    file: () => ['no-answer.parquet', parquet('no-answer.parquet', { question: ['what is one ?', 'what is two ?'] })],
    message: 'contam: gsm8k: no valid rows in no-answer.parquet: 2 of 2 rows skipped (first: no-answer.parquet row 0: field "answer": expected a string, found nothing (the field is missing))',
  },
  {
    name: 'invalid UTF-8 in a CSV file',
    file: () => ['latin1.csv', Buffer.concat([Buffer.from('question,answer\nwhat is one ?,one .\n'), Buffer.from('caf\xe9 ?,two .\n', 'latin1')])],
    message: 'contam: latin1.csv: expected UTF-8 text, found invalid UTF-8 bytes near line 3',
  },
  {
    name: 'invalid UTF-8 in a JSON array',
    file: () => ['latin1.json', Buffer.concat([Buffer.from('[\n{"question": "q", "answer": "a"},\n'), Buffer.from('{"question": "caf\xe9", "answer": "a"}\n]', 'latin1')])],
    message: 'contam: latin1.json: expected UTF-8 text, found invalid UTF-8 bytes on line 3',
  },
  { name: 'a Parquet file named .jsonl', file: () => ['really.jsonl', Buffer.from('PAR1\0\0\0\0')], message: 'contam: really.jsonl: expected JSON Lines (one JSON object per line), found a Parquet file (starts with "PAR1....")' },
  { name: 'an unsupported extension', file: () => ['data.txt', 'what is one ?'], message: 'contam: data.txt: expected one of the extensions .jsonl, .json, .csv, .parquet, found ".txt"' },
];

describe('unusable inputs: one line on stderr, exit 1', () => {
  it.each(fatalCases)('$name', (c) => {
    const [name, content] = c.file();
    const path = corpus.file(name, content);
    const run = corpus.audit(['-b', `gsm8k=${path}`]);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect({ code: run.code, stderr: run.stderr, stdout: run.stdout }).toEqual({ code: 1, stderr: `${c.message}\n`, stdout: '' });
    // --dry-run reads the data the same way and fails the same way.
    expect(corpus.audit(['-b', `gsm8k=${path}`, '--dry-run']).stderr).toBe(`${c.message}\n`);
  });

  it('a path that does not exist', () => {
    const path = join(corpus.root, 'data', 'nope.jsonl');
    expect(corpus.audit(['-b', `gsm8k=${path}`])).toMatchObject({ code: 1, stderr: `contam: ${path}: expected a dataset file or folder, found nothing at this path\n` });
  });

  it('--strict stops at the first bad row, with the same message as the skip warning', () => {
    const path = corpus.file('strict.jsonl', lines(row(0), JSON.stringify({ question: 'no answer here' })));
    expect(corpus.audit(['-b', `gsm8k=${path}`, '--strict'])).toMatchObject({
      code: 1,
      stderr: 'contam: gsm8k: strict.jsonl line 2: field "answer": expected a string, found nothing (the field is missing)\n',
    });
  });
});
