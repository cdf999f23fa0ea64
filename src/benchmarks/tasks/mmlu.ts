import type { TaskAdapter } from '../types.js';
import { guarded, has, indexInto, problem, str, strArray } from './fields.js';

const LETTERS = ['A', 'B', 'C', 'D'];

/**
 * MMLU: question + " " + the correct choice only, the other options left out, as upstream
 * builds it from cais/mmlu (detection-methods.md §1.1). The hendrycks CSVs carry the same
 * items as `question, A, B, C, D, <letter>` with the subject in the file name.
 */
export const mmlu: TaskAdapter = {
  name: 'mmlu',
  version: '1',
  defaultSplit: 'test',
  defaultConfig: 'all',
  describe: 'MMLU: question + " " + the correct choice',
  accepts: [
    'Hub cais/mmlu: question, subject, choices[], answer 0-3',
    'hendrycks CSVs without header: question, A, B, C, D, answer letter (subject from <subject>_<split>.csv)',
  ],
  headerlessColumns: ['question', 'A', 'B', 'C', 'D', 'answer'],
  toText: (row) =>
    guarded(() => {
      const question = str(row, 'question');
      if (has(row, 'choices')) {
        const choices = strArray(row, 'choices');
        return { text: `${question} ${choices[indexInto(row, 'answer', choices.length)]}` };
      }
      const letter = str(row, 'answer').trim();
      const at = LETTERS.indexOf(letter);
      if (at < 0) throw problem('answer', 'a letter A-D', row.answer);
      return { text: `${question} ${str(row, LETTERS[at])}` };
    }),
};
