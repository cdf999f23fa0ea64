import type { TaskAdapter } from '../types.js';
import { guarded, str } from './fields.js';

/**
 * GSM8K: question + " " + the worked answer before "####", stripped, as the upstream fork
 * does (PR #1, `answer.split('####')[0].strip()`, detection-methods.md §1.1): the final number
 * is left out. `keepFinalAnswer` keeps the whole answer, "#### 18" included.
 */
export const gsm8k: TaskAdapter = {
  name: 'gsm8k',
  version: '1',
  defaultSplit: 'test',
  defaultConfig: 'main',
  describe: 'GSM8K: question + " " + the worked answer before ####',
  accepts: ['OpenAI release JSONL / Hub openai/gsm8k: question, answer ("... #### <number>")'],
  toText: (row, options) =>
    guarded(() => {
      const question = str(row, 'question');
      const answer = str(row, 'answer');
      const kept = options.keepFinalAnswer ? answer.trim() : answer.split('####')[0].trim();
      return { text: `${question} ${kept}` };
    }),
};
