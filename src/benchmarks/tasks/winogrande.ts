import type { TaskAdapter } from '../types.js';
import { guarded, problem, str } from './fields.js';

/** Winogrande: the sentence with its blank "_" filled by the correct option (upstream fork PR #2, §1.1). */
export const winogrande: TaskAdapter = {
  name: 'winogrande',
  version: '1',
  defaultSplit: 'validation',
  defaultConfig: 'winogrande_xl',
  describe: 'Winogrande: the sentence with "_" replaced by the correct option',
  accepts: ['Hub winogrande: sentence, option1, option2, answer ("1"/"2"; empty in the unlabelled test split)'],
  toText: (row) =>
    guarded(() => {
      const sentence = str(row, 'sentence');
      const answer = String(row.answer ?? '').trim();
      if (answer !== '1' && answer !== '2') throw problem('answer', '"1" or "2"', row.answer);
      if (!sentence.includes('_')) throw problem('sentence', 'a sentence with a "_" blank', sentence);
      // Python's str.replace replaces every "_", which is what upstream does; sentences have one.
      return { text: sentence.replaceAll('_', str(row, `option${answer}`)) };
    }),
};
