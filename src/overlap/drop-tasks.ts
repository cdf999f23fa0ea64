/**
 * `--drop-tasks`: drop corpus records whose task name is listed, as the SOLAR 10.7B paper did before
 * training (Kim et al. 2023, appendix, Table 8: "Task names that we use to filter data for FLAN
 * derived datasets such as OpenOrca"). Names are counted under their FLAN spelling.
 */
import { readFileSync } from 'node:fs';
import { FatalError, errorMessage } from '../errors.js';

/**
 * Table 8 in FLAN's own spelling (TFDS names such as `ai2_arc/ARC-Challenge:1.0.0`). The paper's
 * text, as extracted in shared/reference/solar-paper-excerpt.txt, prints the two ARC names without
 * the `/` and `-` (`ai2_arcARCChallenge:1.0.0`); both spellings match (see `spellings`).
 */
export const SOLAR_TABLE8: readonly string[] = [
  'task228_arc_answer_generation_easy',
  'ai2_arc/ARC-Challenge:1.0.0',
  'ai2_arc/ARC-Easy:1.0.0',
  'task229_arc_answer_generation_hard',
  'hellaswag:1.1.0',
  'task1389_hellaswag_completion',
  'cot_gsm8k',
  'cot_gsm8k_ii',
  'drop:2.0.0',
  'winogrande:1.1.0',
];

export const PRESETS: Readonly<Record<string, readonly string[]>> = { 'solar-table8': SOLAR_TABLE8 };

/** A name and the spelling the paper prints: the same with `/` and `-` removed. */
export function spellings(name: string): string[] {
  const paper = name.replace(/[/-]/g, '');
  return paper === name ? [name] : [name, paper];
}

export interface TaskFilter {
  /** What the user asked for: a preset's name or the file read. */
  readonly source: string;
  readonly names: readonly string[];
  /** The listed name a record's task matches (either spelling), or undefined. */
  match(task: string): string | undefined;
}

export function makeFilter(source: string, names: readonly string[]): TaskFilter {
  const bySpelling = new Map<string, string>();
  for (const name of names) for (const s of spellings(name)) bySpelling.set(s, name);
  return { source, names, match: (task) => bySpelling.get(task.trim()) };
}

/** `solar-table8`, or a file with one task name per line (`#` comments and blank lines ignored). */
export function loadTaskFilter(value: string): TaskFilter {
  const preset = PRESETS[value];
  if (preset) return makeFilter(value, preset);
  let text: string;
  try {
    text = readFileSync(value, 'utf8');
  } catch (error) {
    throw new FatalError(`--drop-tasks ${value}: cannot read this file (${errorMessage(error)}); expected a preset (${Object.keys(PRESETS).join(', ')}) or a file of task names, one per line`);
  }
  const names = text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  if (names.length === 0) throw new FatalError(`--drop-tasks ${value}: expected task names, one per line, found none`);
  return makeFilter(value, [...new Set(names)]);
}
