/**
 * The text of one JSONL corpus record. With `--text-field` a dotted path; without it the first of the
 * usual layouts present: `text`, `content`, chat `messages` / ShareGPT `conversations`, preference
 * `{prompt, chosen, rejected}`, OpenOrca `{system_prompt, question, response}`, Alpaca
 * `{instruction, input, output}`, FLAN `{inputs, targets}`. Parts are joined with "\n", so one
 * record is one document for n-grams, as lm-eval treats one Pile document.
 */
import { describeValue } from '../benchmarks/sources/describe-value.js';
import { get } from '../benchmarks/tasks/fields.js';

const EXPECTED = 'a string, a messages array or {prompt, chosen, rejected}';

const LAYOUTS: readonly (readonly string[])[] = [
  ['text'],
  ['content'],
  ['messages'],
  ['conversations'],
  ['prompt', 'chosen', 'rejected'],
  ['system_prompt', 'question', 'response'],
  ['instruction', 'input', 'output'],
  ['inputs', 'targets'],
];

/** A value as text: a string, an array of strings or chat turns ({content} or {value}), or a triplet. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const parts = value.map((v) => {
      if (typeof v === 'string') return v;
      if (v !== null && typeof v === 'object') {
        const turn = v as Record<string, unknown>;
        if (typeof turn.content === 'string') return turn.content;
        if (typeof turn.value === 'string') return turn.value;
      }
      return undefined;
    });
    return parts.every((p) => p !== undefined) ? parts.join('\n') : undefined;
  }
  if (value !== null && typeof value === 'object' && 'prompt' in value) return joinFields(value as Record<string, unknown>, ['prompt', 'chosen', 'rejected']);
  return undefined;
}

function joinFields(row: Record<string, unknown>, fields: readonly string[]): string | undefined {
  const parts: string[] = [];
  for (const f of fields) {
    if (row[f] === undefined || row[f] === null) continue;
    const text = asText(row[f]);
    if (text === undefined) return undefined;
    parts.push(text);
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

export type RecordText = { readonly text: string } | { readonly problem: string };

export function recordText(row: unknown, field: string | undefined): RecordText {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return { problem: `expected a JSON object, found ${describeValue(row)}` };
  const record = row as Record<string, unknown>;
  if (field !== undefined) {
    const value = get(record, field);
    const text = asText(value);
    return text !== undefined ? { text } : { problem: `field "${field}": expected ${EXPECTED}, found ${describeValue(value)}` };
  }
  for (const layout of LAYOUTS) {
    if (!layout.some((f) => record[f] !== undefined && record[f] !== null)) continue;
    const text = joinFields(record, layout);
    if (text !== undefined) return { text };
    return { problem: `fields ${layout.join(', ')}: expected ${EXPECTED}, found ${describeValue(record[layout.find((f) => record[f] !== undefined && record[f] !== null) as string])}` };
  }
  const keys = Object.keys(record).slice(0, 6).join(', ');
  return { problem: `no text field (looked for text, content, messages, conversations, prompt/chosen/rejected, question/response, instruction/output, inputs/targets; found keys ${keys || 'none'}); pass --text-field` };
}

/** The task name of a record for `--drop-tasks`, or undefined when the field is absent. */
export function recordTask(row: unknown, field: string): string | undefined {
  if (row === null || typeof row !== 'object') return undefined;
  const value = get(row as Record<string, unknown>, field);
  return typeof value === 'string' ? value : undefined;
}
