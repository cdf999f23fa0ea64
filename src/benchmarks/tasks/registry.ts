import { FatalError } from '../../errors.js';
import type { TaskAdapter } from '../types.js';
import { arc } from './arc.js';
import { custom } from './custom.js';
import { gsm8k } from './gsm8k.js';
import { hellaswag } from './hellaswag.js';
import { mmlu } from './mmlu.js';
import { truthfulqa } from './truthfulqa.js';
import { winogrande } from './winogrande.js';

/** Every task, in the order `contam list benchmarks` shows them (Table 9's order, then the rest). */
export const TASKS: readonly TaskAdapter[] = [arc, mmlu, truthfulqa, gsm8k, hellaswag, winogrande, custom];

export function getTask(name: string): TaskAdapter {
  const task = TASKS.find((t) => t.name === name.trim().toLowerCase());
  if (!task) {
    throw new FatalError(`unknown benchmark "${name}"; valid choices: ${TASKS.map((t) => t.name).join(', ')}`);
  }
  return task;
}
