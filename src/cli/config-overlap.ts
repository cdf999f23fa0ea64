/**
 * contam overlap's options: the `overlap:` block of contam.config.yaml (-c FILE, else the file in
 * the working directory, as contam audit finds it), then flags over it key by key. Benchmarks are
 * the config's top-level ones, as audit's: -b replaces them, and a bare name in -b picks one.
 */
import type { BenchmarkSpec } from '../audit/types.js';
import { FatalError } from '../errors.js';
import type { Shard } from '../overlap/scan.js';
import { intFlag } from './args.js';
import { parseBenchmarkList } from './audit-flags.js';
import { findConfigFile, readConfigFile } from './config.js';
import { OVERLAP_BLOCK, type OverlapBlock } from './config-overlap-schema.js';

/** The flags parseArgs hands over (see FLAGS in commands/overlap.ts). */
export interface OverlapFlagValues {
  readonly config?: string;
  readonly corpus?: readonly string[];
  readonly benchmarks?: string;
  readonly ngram?: string;
  readonly 'min-ngrams'?: string;
  readonly fields?: string;
  readonly 'text-field'?: string;
  readonly 'drop-tasks'?: string;
  readonly 'task-field'?: string;
  readonly 'write-clean'?: string;
  readonly mask?: boolean;
  readonly probes?: string;
  readonly seed?: string;
  readonly shard?: string;
  readonly workers?: string;
  readonly 'out-dir'?: string;
  readonly 'fail-on'?: string;
  readonly strict?: boolean;
}

export interface OverlapOptions {
  readonly corpus: readonly string[];
  readonly benchmarks: readonly BenchmarkSpec[];
  readonly ngram: number;
  readonly minNgrams: number;
  /** Undefined: each task's decontamination query. */
  readonly fields?: readonly string[];
  /** Undefined: the first present of text, content, messages, ... */
  readonly textField?: string;
  /** A preset name or a file of task names; loaded by the command. */
  readonly dropTasks?: string;
  readonly taskField: string;
  readonly writeClean?: string;
  /** With writeClean: matched windows starred out instead of the record dropped. */
  readonly mask: boolean;
  /** Substring probes per item; undefined: none. */
  readonly probes?: number;
  readonly seed: number;
  readonly shard?: Shard;
  /** Undefined: one per core. */
  readonly workers?: number;
  /** Undefined: the command picks reports/overlap-<time>. */
  readonly outDir?: string;
  readonly failOn: 'found' | 'never';
  readonly strict: boolean;
}

const SHARD_EXPECTED = 'expected i/N with 0 <= i < N, e.g. 0/3';

export function parseShard(value: string | undefined, flag = '--shard'): Shard | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
  if (!shard || shard.count < 1 || shard.index >= shard.count) throw new FatalError(`${flag} ${value}: ${SHARD_EXPECTED}`);
  return shard;
}

export function parseFailOn(value: string | undefined): 'found' | 'never' | undefined {
  if (value === undefined || value === 'never' || value === 'found') return value;
  throw new FatalError(`--fail-on ${value}: expected found or never`);
}

const list = (value: string) => value.split(',').map((x) => x.trim()).filter(Boolean);

/** Options from the file's block with each flag given put over it (flags are checked here, the block by its schema). */
export function resolveOverlapOptions(values: OverlapFlagValues): OverlapOptions {
  const file = findConfigFile(values.config);
  const fromFile = file ? readConfigFile(file) : {};
  // No block: the schema's defaults, so flag-only runs behave exactly as before the block existed.
  const block = (fromFile.overlap as OverlapBlock | undefined) ?? OVERLAP_BLOCK.parse({});
  const corpus = values.corpus !== undefined ? values.corpus.flatMap(list) : (block.corpus ?? []);
  if (corpus.length === 0) throw new FatalError('contam overlap: expected --corpus <files, folders or globs> (see contam overlap --help)');
  const fileBenchmarks = fromFile.benchmarks as readonly BenchmarkSpec[] | undefined;
  if (values.benchmarks === undefined && fileBenchmarks === undefined) {
    throw new FatalError('contam overlap: expected -b <name=path,...>, e.g. -b gsm8k=./gsm8k/test.jsonl (see contam overlap --help)');
  }
  const benchmarks = values.benchmarks !== undefined ? parseBenchmarkList(values.benchmarks, fileBenchmarks) : (fileBenchmarks ?? []);
  if (benchmarks.length === 0) throw new FatalError(`--benchmarks ${values.benchmarks ?? ''}: expected at least one name=path`);
  const fields = values.fields !== undefined ? list(values.fields) : block.fields;
  if (fields !== undefined && fields.length === 0) throw new FatalError(`--fields ${values.fields}: expected field names, e.g. question,answer`);
  const shard = values.shard !== undefined ? parseShard(values.shard) : parseShard(block.shard);
  const writeClean = values['write-clean'] ?? block.writeClean;
  const textField = values['text-field'] ?? block.textField;
  const dropTasks = values['drop-tasks'] ?? block.dropTasks;
  const outDir = values['out-dir'] ?? block.outDir;
  const mask = values.mask === true || block.mask;
  if (mask && writeClean === undefined) throw new FatalError('--mask: expected --write-clean DIR beside it (masking rewrites the clean copy)');
  const probes = intFlag(values.probes, '--probes', 1) ?? block.probes;
  if (values.seed !== undefined && probes === undefined) throw new FatalError('--seed: expected --probes K beside it (the seed only draws the probes)');
  return {
    corpus,
    benchmarks,
    ngram: intFlag(values.ngram, '--ngram', 1) ?? block.ngram,
    minNgrams: intFlag(values['min-ngrams'], '--min-ngrams', 1) ?? block.minNgrams,
    ...(fields !== undefined ? { fields } : {}),
    ...(textField !== undefined ? { textField } : {}),
    ...(dropTasks !== undefined ? { dropTasks } : {}),
    taskField: values['task-field'] ?? block.taskField,
    ...(writeClean !== undefined ? { writeClean } : {}),
    mask,
    ...(probes !== undefined ? { probes } : {}),
    seed: intFlag(values.seed, '--seed', 0) ?? block.seed,
    ...(shard ? { shard } : {}),
    ...((values.workers ?? block.workers) !== undefined ? { workers: intFlag(values.workers, '--workers', 1) ?? block.workers } : {}),
    ...(outDir !== undefined ? { outDir } : {}),
    failOn: parseFailOn(values['fail-on']) ?? block.failOn,
    strict: values.strict === true || block.strict,
  };
}
