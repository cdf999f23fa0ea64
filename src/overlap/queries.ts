/**
 * Which text of a benchmark item is checked for overlap. lm-eval checks a task's
 * `doc_to_decontamination_query`: for ARC that is "Question: {{question}}\nAnswer:" (arc_easy.yaml,
 * should_decontaminate: true), so only the question, never the choices or the answer; GSM8K sets no
 * query (should_decontaminate is off), and we check its question the same way. We check the question
 * alone, without lm-eval's "Question:"/"Answer:" wrapper words: every n-gram inside the question is
 * the same, and a question pasted into a corpus without that wrapper is still found (the wrapper's
 * two words would otherwise make 11-word questions checkable only when the corpus has them too).
 * `--fields` widens the text, e.g. `question,answer` to catch annotation contamination.
 */
import { FatalError } from '../errors.js';
import { formatLocation } from '../benchmarks/load.js';
import { openSource } from '../benchmarks/sources/open-source.js';
import { readChoices } from '../benchmarks/tasks/arc.js';
import { str, RowProblem } from '../benchmarks/tasks/fields.js';
import { getTask } from '../benchmarks/tasks/registry.js';
import type { BenchmarkSpec } from '../audit/types.js';

type FieldReader = (row: Record<string, unknown>) => string;

/** Per task: the fields `--fields` may name, and the default ones (lm-eval's query). */
const TASK_FIELDS: Record<string, { readonly defaults: readonly string[]; readonly fields: Record<string, FieldReader> }> = {
  gsm8k: {
    defaults: ['question'],
    fields: { question: (row) => str(row, 'question'), answer: (row) => str(row, 'answer') },
  },
  arc: {
    defaults: ['question'],
    fields: {
      question: (row) => readChoices(row).stem,
      choices: (row) => readChoices(row).texts.join('\n'),
      answer: (row) => {
        const { labels, texts } = readChoices(row);
        const key = typeof row.answerKey === 'string' ? row.answerKey : str(row, 'AnswerKey');
        const at = labels.indexOf(key.trim());
        if (at < 0) throw new RowProblem(`field "answerKey": expected one of the choice labels ${labels.join(', ')}, found ${JSON.stringify(key)}`);
        return texts[at];
      },
    },
  },
};

/** Which text was checked, as the report states it. */
export function describeFields(task: string, fields: readonly string[] | undefined): string[] {
  const known = TASK_FIELDS[task];
  if (!known) return ['scored text'];
  return [...(fields ?? known.defaults)];
}

/** Fails early, naming the benchmark, when `--fields` asks for a field its task does not have. */
export function checkFields(spec: BenchmarkSpec, fields: readonly string[] | undefined): void {
  getTask(spec.task);
  const known = TASK_FIELDS[spec.task];
  if (fields === undefined) return;
  if (!known) throw new FatalError(`--fields: benchmark "${spec.name}" (task ${spec.task}) has no field choice; its scored text is checked; drop --fields or use gsm8k/arc`);
  for (const f of fields) {
    if (!(f in known.fields)) throw new FatalError(`--fields ${fields.join(',')}: "${f}" is not a field of ${spec.task}; expected some of ${Object.keys(known.fields).join(', ')}`);
  }
}

export interface QueryRow {
  readonly rowIndex: number;
  readonly text: string;
}

export interface SkippedQuery {
  readonly file: string;
  readonly location: string;
  readonly reason: string;
}

export interface BenchmarkQueries {
  readonly benchmark: string;
  readonly task: string;
  readonly split: string;
  readonly files: readonly string[];
  readonly fields: readonly string[];
  readonly rowsRead: number;
  readonly rows: readonly QueryRow[];
  readonly skipped: readonly SkippedQuery[];
}

/** Reads a benchmark with the project's sources and turns each row into the text checked. */
export async function loadQueries(spec: BenchmarkSpec, fields: readonly string[] | undefined, strict: boolean): Promise<BenchmarkQueries> {
  checkFields(spec, fields);
  const task = getTask(spec.task);
  const split = spec.split ?? task.defaultSplit;
  const known = TASK_FIELDS[spec.task];
  const chosen = describeFields(spec.task, fields);
  const source = openSource(spec.path, { split, defaultConfig: task.defaultConfig, headerlessColumns: task.headerlessColumns });
  const rows: QueryRow[] = [];
  const skipped: SkippedQuery[] = [];
  let rowsRead = 0;
  for await (const { row, location, index, problem } of source.rows) {
    rowsRead += 1;
    let reason = problem;
    let text = '';
    if (reason === undefined) {
      try {
        if (known) text = chosen.map((f) => known.fields[f](row)).join('\n');
        else {
          const result = task.toText(row, spec.options ?? {});
          if ('skip' in result) reason = result.skip;
          else text = result.text;
        }
      } catch (error) {
        if (!(error instanceof RowProblem)) throw error;
        reason = error.message;
      }
    }
    if (reason !== undefined) {
      const where = formatLocation(location);
      if (strict) throw new FatalError(`${spec.name}: ${location.file} ${where}: ${reason}`);
      skipped.push({ file: location.file, location: where, reason });
      continue;
    }
    rows.push({ rowIndex: index, text });
  }
  return { benchmark: spec.name, task: spec.task, split, files: source.files, fields: chosen, rowsRead, rows, skipped };
}
