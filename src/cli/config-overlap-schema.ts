/**
 * The `overlap:` block of contam.config.yaml: `contam overlap`'s options (issue 18), keyed as the
 * flags are in camelCase. Flags override it key by key (see config-overlap.ts).
 */
import * as z from 'zod';
import { count, enumOf, strict, strings } from '../audit/config-kinds.js';
import { DEFAULT_NGRAM } from '../overlap/normalise.js';

const text = (expected: string) => z.string({ error: expected }).min(1, { error: expected });

export const OVERLAP_BLOCK = strict({
  corpus: z
    .union([text('a file, folder or glob'), z.array(text('a file, folder or glob'), { error: 'a list of files, folders or globs' })], { error: 'a file, folder or glob, or a list of them' })
    .transform((c) => (typeof c === 'string' ? [c] : c))
    .optional()
    .describe('Training data to scan: JSONL or text files (optionally .gz or .zst), Parquet, folders, globs and Hugging Face dataset folders or ids.'),
  ngram: count(1).default(DEFAULT_NGRAM).describe("Words per n-gram (lm-evaluation-harness's 13 by default)."),
  minNgrams: count(1).default(1).describe("Distinct n-grams an item needs to count as found (1: lm-eval's rule)."),
  fields: strings.min(1, { error: 'a list of strings' }).optional().describe('Text checked per item, e.g. [question, answer] (default: the task\'s decontamination query).'),
  textField: text('a dotted field path').optional().describe('Dotted field of a JSONL record holding its text (default: the first present of text, content, messages, ...).'),
  dropTasks: text('a preset (solar-table8) or a file of task names').optional().describe('Drop records whose task is listed: the preset solar-table8 (SOLAR paper, Table 8) or a file of names, one per line.'),
  taskField: text('a dotted field path').default('_task_name').describe("Dotted field holding a record's task name (FLAN's _task_name by default)."),
  writeClean: text('a folder path').optional().describe('Folder for the corpus minus matched and dropped records, with a manifest.'),
  mask: z.boolean({ error: 'true or false' }).default(false).describe('With writeClean: keep matched records with their matched n-gram windows starred out instead of dropping them.'),
  probes: count(1).optional().describe("Substring probes per item in the GPT-4 report's style (50-character spans of letters and numbers)."),
  seed: count(0).default(0).describe('Seed of the probes\' spans.'),
  shard: z
    .string({ error: 'i/N with 0 <= i < N, e.g. 0/3' })
    .regex(/^\d+\/\d+$/, { error: 'i/N with 0 <= i < N, e.g. 0/3' })
    .refine((s) => Number(s.split('/')[0]) < Number(s.split('/')[1]), { error: 'i/N with 0 <= i < N, e.g. 0/3' })
    .optional()
    .describe('Scan only records i, i+N, i+2N, ... (then contam overlap merge).'),
  workers: count(1).optional().describe('Threads that scan (default one per core; 1 scans in the main thread; results are identical for every count).'),
  outDir: text('a folder path').optional().describe('Folder for overlap.json, overlap.jsonl and overlap.md (default reports/overlap-<time>).'),
  failOn: enumOf(['found', 'never']).default('never').describe('Exit with 100 when a benchmark has a found item.'),
  strict: z.boolean({ error: 'true or false' }).default(false).describe('Stop at the first bad corpus record or benchmark row.'),
}).describe('Options of contam overlap (flags override them): {corpus, ngram, minNgrams, fields, textField, dropTasks, taskField, writeClean, mask, probes, seed, shard, workers, outDir, failOn, strict}.');

export type OverlapBlock = z.output<typeof OVERLAP_BLOCK>;
