import type { TaskAdapter } from '../types.js';
import { guarded, indexInto, str, strArray } from './fields.js';

/**
 * The clean-up every HellaSwag harness applies (lm-evaluation-harness `preprocess`): WikiHow
 * contexts carry markup such as "[title]" and "[step]" that no model saw as prose.
 */
export function cleanHellaswag(text: string): string {
  return text.trim().replace(/ \[title\]/g, '. ').replace(/\[.*?\]/g, '').replace(/ {2}/g, ' ');
}

/** HellaSwag: ctx + " " + the correct ending, both cleaned (upstream fork PR #2, §1.1). */
export const hellaswag: TaskAdapter = {
  name: 'hellaswag',
  version: '1',
  defaultSplit: 'validation',
  describe: 'HellaSwag: context + " " + the correct ending, bracketed artefacts removed',
  accepts: ['Hub Rowan/hellaswag: ctx, endings[], label ("0"-"3"; empty in the unlabelled test split)'],
  toText: (row) =>
    guarded(() => {
      const ctx = str(row, 'ctx');
      const endings = strArray(row, 'endings');
      const ending = endings[indexInto(row, 'label', endings.length)];
      return { text: `${cleanHellaswag(ctx)} ${cleanHellaswag(ending)}` };
    }),
};
