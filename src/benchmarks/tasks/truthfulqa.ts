import type { TaskAdapter } from '../types.js';
import { get, guarded, has, obj, problem, str, strArray } from './fields.js';

/**
 * TruthfulQA: question + " " + the MC1 choice labelled 1, as upstream builds it from
 * truthful_qa/multiple_choice (detection-methods.md §1.1). mc_task.json, the file the Hub
 * config is built from, stores MC1 as {choice: 0|1}; TruthfulQA.csv has no MC1, so its
 * "Best Answer" (the same answer, written by the authors) is used.
 */
export const truthfulqa: TaskAdapter = {
  name: 'truthfulqa',
  version: '1',
  defaultSplit: 'validation',
  defaultConfig: 'multiple_choice',
  describe: 'TruthfulQA: question + " " + the correct MC1 answer',
  accepts: [
    'Hub truthful_qa multiple_choice: question, mc1_targets {choices[], labels[]}',
    'mc_task.json: question, mc1_targets {"<choice>": 0|1}',
    'TruthfulQA.csv: Question, Best Answer',
  ],
  toText: (row) =>
    guarded(() => {
      if (!has(row, 'mc1_targets')) return { text: `${str(row, 'Question')} ${str(row, 'Best Answer')}` };
      const question = str(row, 'question');
      const targets = obj(row, 'mc1_targets');
      if (Array.isArray(targets.choices)) {
        const choices = strArray(row, 'mc1_targets.choices');
        const labels = get(row, 'mc1_targets.labels');
        const at = Array.isArray(labels) ? labels.findIndex((l) => Number(l) === 1) : -1;
        if (at < 0 || at >= choices.length) throw problem('mc1_targets.labels', 'one label 1 among the choices', labels);
        return { text: `${question} ${choices[at]}` };
      }
      const correct = Object.entries(targets).find(([, label]) => Number(label) === 1);
      if (!correct) throw problem('mc1_targets', 'one choice labelled 1', targets);
      return { text: `${question} ${correct[0]}` };
    }),
};
