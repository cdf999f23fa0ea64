import type { TaskAdapter, TaskOptions } from '../types.js';
import { get, guarded, has, obj, problem, str, strArray } from './fields.js';

interface Choices {
  readonly stem: string;
  readonly labels: string[];
  readonly texts: string[];
}

/**
 * ARC-Challenge: question + " " + text of the correct choice, as the upstream tool builds it
 * (detect-pretrain-code-contamination `eval.py`, see detection-methods.md §1.1).
 * Upstream drops the 22 items whose answerKey is not A-D (numeric labels, or E); by default we
 * map every answerKey to its choice by label, and `compat` drops them too.
 */
export const arc: TaskAdapter = {
  name: 'arc',
  version: '1',
  defaultSplit: 'test',
  defaultConfig: 'ARC-Challenge',
  describe: 'ARC-Challenge: question + " " + the correct choice',
  accepts: [
    'Hub allenai/ai2_arc: question, choices {text[], label[]}, answerKey',
    'AI2 release JSONL: question {stem, choices [{text, label}]}, answerKey',
    'AI2 release CSV: question with inline "(A) ..." choices, AnswerKey',
  ],
  toText: (row: Record<string, unknown>, options: TaskOptions) =>
    guarded(() => {
      const keyField = has(row, 'answerKey') ? 'answerKey' : 'AnswerKey';
      const key = str(row, keyField).trim();
      const { stem, labels, texts } = readChoices(row);
      if (options.compat && !/^[A-D]$/.test(key)) {
        return { skip: `field "${keyField}": expected A-D in compat mode (upstream drops other keys), found string ${JSON.stringify(key)}` };
      }
      const at = labels.indexOf(key);
      if (at < 0) throw problem(keyField, `one of the choice labels ${labels.join(', ')}`, key);
      return { text: `${stem} ${texts[at]}` };
    }),
};

export function readChoices(row: Record<string, unknown>): Choices {
  const question = get(row, 'question');
  if (question !== null && typeof question === 'object') {
    // AI2 JSONL nests the choices in the question object as [{text, label}].
    const stem = str(row, 'question.stem');
    const list = get(row, 'question.choices');
    if (!Array.isArray(list) || !list.every((c) => typeof c?.text === 'string' && typeof c?.label === 'string')) {
      throw problem('question.choices', 'an array of {text, label} strings', list);
    }
    return { stem, labels: list.map((c) => c.label), texts: list.map((c) => c.text) };
  }
  if (has(row, 'choices')) {
    obj(row, 'choices');
    const texts = strArray(row, 'choices.text');
    const labels = strArray(row, 'choices.label');
    if (texts.length !== labels.length) throw problem('choices.label', `${texts.length} labels (one per choice text)`, labels);
    return { stem: str(row, 'question'), labels, texts };
  }
  return inlineChoices(str(row, 'question'));
}

/**
 * The AI2 CSV inlines the choices: "stem (A) first (B) second ...", sometimes with extra
 * spaces before "(A)". Markers are searched in order so a "(B)" inside the stem cannot split it.
 */
function inlineChoices(question: string): Choices {
  const sequence = question.includes('(A) ') ? 'ABCDE' : '12345';
  const marks: { label: string; at: number }[] = [];
  let from = 0;
  for (const label of sequence) {
    const at = question.indexOf(`(${label}) `, from);
    if (at < 0) break;
    marks.push({ label, at });
    from = at + label.length + 3;
  }
  if (marks.length < 2) throw problem('question', 'a question with inline choices "(A) ... (B) ..."', question);
  const texts = marks.map((m, i) => question.slice(m.at + m.label.length + 3, marks[i + 1]?.at ?? question.length).trim());
  return { stem: question.slice(0, marks[0].at).trim(), labels: marks.map((m) => m.label), texts };
}
