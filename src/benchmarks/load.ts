import { FatalError } from '../errors.js';
import { sha256 } from '../util/hash.js';
import { chooseSamples, type SamplingMethod } from './sampling.js';
import { openSource } from './sources/open-source.js';
import { preview } from './sources/describe-value.js';
import { getTask, TASKS } from './tasks/registry.js';
import type { RowLocation, Sample, SkippedRow, TaskOptions } from './types.js';

export interface LoadOptions {
  /** Task name: arc, mmlu, truthfulqa, gsm8k, hellaswag, winogrande, custom. */
  readonly task: string;
  /** A file, a dataset folder, or a hub id (`allenai/ai2_arc`) found in the local hub cache. */
  readonly path: string;
  /** Defaults to the task's split (test for ARC, MMLU, GSM8K; validation for the others). */
  readonly split?: string;
  /** Hugging Face config folder; defaults to the only one, or the task's (ARC-Challenge, all, ...). */
  readonly config?: string;
  /** Stop with a FatalError at the first bad row instead of skipping and counting it. */
  readonly strict?: boolean;
  readonly options?: TaskOptions;
}

export interface LoadedBenchmark {
  readonly benchmark: string;
  readonly taskVersion: string;
  readonly split: string;
  readonly files: readonly string[];
  /** Every row read, valid or not. */
  readonly rowsRead: number;
  /** Every valid row, in source order. */
  readonly samples: readonly Sample[];
  readonly skipped: readonly SkippedRow[];
}

export function formatLocation(location: RowLocation): string {
  return location.line !== undefined ? `line ${location.line}` : `row ${location.row ?? 0}`;
}

/** Reads a benchmark end to end, validating each row; see the test file for every message format. */
export async function loadBenchmark(request: LoadOptions): Promise<LoadedBenchmark> {
  const task = getTask(request.task);
  const options = request.options ?? {};
  const benchmark = task.name === 'custom' ? options.name ?? 'custom' : task.name;
  const split = request.split ?? task.defaultSplit;
  const source = openSource(request.path, {
    split,
    config: request.config,
    defaultConfig: task.defaultConfig,
    headerlessColumns: task.headerlessColumns,
    csvHeader: options.csvHeader,
  });
  const samples: Sample[] = [];
  const skipped: SkippedRow[] = [];
  let rowsRead = 0;
  for await (const { row, location, index, problem } of source.rows) {
    rowsRead += 1;
    const result = problem !== undefined ? { skip: problem } : task.toText(row, options);
    let reason = 'skip' in result ? result.skip : undefined;
    if (!('skip' in result) && result.text.trim() === '') {
      reason = `scored text: expected a non-empty text, found string ${JSON.stringify(preview(result.text))}`;
    }
    if (reason !== undefined) {
      const where = formatLocation(location);
      const message = `${benchmark}: ${location.file} ${where}: ${reason}`;
      if (request.strict) throw new FatalError(message);
      skipped.push({ file: location.file, location: where, reason, message });
      continue;
    }
    if ('skip' in result) continue;
    samples.push({
      id: `${benchmark}/${split}/${index}`,
      benchmark,
      split,
      rowIndex: index,
      text: result.text,
      textHash: sha256(result.text),
      ...(result.label ? { label: result.label } : {}),
      ...(result.sourceId !== undefined ? { sourceId: result.sourceId } : {}),
    });
  }
  return { benchmark, taskVersion: task.version, split, files: source.files, rowsRead, samples, skipped };
}

export interface SelectOptions {
  readonly n: number;
  readonly seed: number;
  readonly sampling?: SamplingMethod;
}

export interface Selection {
  readonly chosen: readonly Sample[];
  readonly sampling: SamplingMethod;
  readonly seed: number;
  /** Set when fewer valid rows exist than asked for. */
  readonly note?: string;
}

export function selectSamples(samples: readonly Sample[], { n, seed, sampling = 'seeded' }: SelectOptions): Selection {
  if (!Number.isInteger(n) || n < 1) throw new FatalError(`--samples: expected a positive integer, found ${n}`);
  const chosen = chooseSamples(samples, n, seed, sampling);
  const rows = (k: number) => `${k} valid row${k === 1 ? '' : 's'}`;
  const note = n > samples.length ? `asked for ${n} samples, found ${rows(samples.length)}: using all of them` : undefined;
  return { chosen, sampling, seed, ...(note ? { note } : {}) };
}

export interface TaskListing {
  readonly name: string;
  readonly version: string;
  readonly defaultSplit: string;
  readonly describe: string;
  readonly accepts: readonly string[];
}

/** What `contam list benchmarks` prints. */
export function listTasks(): TaskListing[] {
  return TASKS.map(({ name, version, defaultSplit, describe, accepts }) => ({ name, version, defaultSplit, describe, accepts }));
}
