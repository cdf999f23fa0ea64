import type { TaskAdapter, TextResult } from '../types.js';
import { get, guarded, problem } from './fields.js';

const MEMBER = new Set(['1', 'true', 'member', 'yes']);
const NON_MEMBER = new Set(['0', 'false', 'non-member', 'nonmember', 'no']);

/** Default template: a dataset with a single `text` column needs no option at all. */
export const DEFAULT_TEMPLATE = '{text}';

/**
 * Any dataset: the scored text is a template over the row's fields ("{question} {answer}",
 * dotted paths allowed), with an optional id field and an optional member/non-member label
 * for labelled evaluation (WikiMIA-style 1/0, true/false or "member"/"non-member").
 */
export const custom: TaskAdapter = {
  name: 'custom',
  version: '1',
  defaultSplit: 'test',
  describe: 'Any dataset: a text template over its fields, optional id and member/non-member label',
  accepts: ['any JSONL/JSON/CSV/Parquet rows; options template ("{question} {answer}"), idField, labelField'],
  toText: (row, options) =>
    guarded((): TextResult => {
      const text = (options.template ?? DEFAULT_TEMPLATE).replace(/\{([^{}]+)\}/g, (_, field: string) => {
        const value = get(row, field.trim());
        if (typeof value === 'string') return value;
        if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
        throw problem(field.trim(), 'a string or number for the template', value);
      });
      const result: { text: string; label?: 'member' | 'non-member'; sourceId?: string } = { text };
      if (options.labelField) result.label = readLabel(row, options.labelField);
      if (options.idField) {
        const id = get(row, options.idField);
        if (typeof id !== 'string' && typeof id !== 'number') throw problem(options.idField, 'a string or number id', id);
        result.sourceId = String(id);
      }
      return result;
    }),
};

function readLabel(row: Record<string, unknown>, field: string): 'member' | 'non-member' {
  const value = get(row, field);
  const key = String(value).trim().toLowerCase();
  if ((typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && MEMBER.has(key)) return 'member';
  if ((typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && NON_MEMBER.has(key)) return 'non-member';
  throw problem(field, 'a member/non-member label (1/0, true/false, "member"/"non-member")', value);
}

