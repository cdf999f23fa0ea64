/** contam overlap: scan training corpora for benchmark n-grams (issue 18). Exit 100 with --fail-on found. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError, errorMessage } from '../../errors.js';
import { writeFileAtomic, probeWritable } from '../../report/atomic.js';
import { CleanWriter, MANIFEST_NAME } from '../../overlap/clean-writer.js';
import { MASK } from '../../overlap/mask.js';
import { ProbeScan } from '../../overlap/probe-scan.js';
import { commonFolder, expandCorpus } from '../../overlap/corpus-files.js';
import { loadTaskFilter } from '../../overlap/drop-tasks.js';
import { renderOverlapJsonl, renderOverlapMarkdown } from '../../overlap/markdown.js';
import { mergeResults } from '../../overlap/merge.js';
import { DEFAULT_NGRAM } from '../../overlap/normalise.js';
import { loadQueries } from '../../overlap/queries.js';
import { buildIndex, buildResults } from '../../overlap/results.js';
import { defaultWorkers, runScan, singleThreadReason } from '../../overlap/run-scan.js';
import type { OverlapResults } from '../../overlap/types.js';
import { intFlag, parse, stdio, type Output } from '../args.js';
import { parseFailOn, resolveOverlapOptions } from '../config-overlap.js';
import { overlapSummaryLines } from '../../overlap/summary.js';
import { interactiveStderr, progressReporter } from '../../ui/overlap/progress-reporter.js';

export const help = `Usage: contam overlap --corpus <files|folders|globs> -b <name=path,...> [options]
       contam overlap merge <shard output folders...> [--out-dir DIR]

Looks for benchmark items in training data as lm-evaluation-harness decontaminates: text
normalised (ASCII lowercase, punctuation deleted, split on whitespace), word ${DEFAULT_NGRAM}-grams, an item
found when any one of its n-grams occurs inside one corpus record. Items shorter than N words have
no n-gram and are reported as not checkable.

Options (also an overlap: block in contam.config.yaml; flags override it):
  -c, --config <file>     settings file (default ./contam.config.yaml): its overlap: block, and its
                          benchmarks when -b is not given
  --corpus <paths>        JSONL (.jsonl, .ndjson), text (.txt, .md; one record per paragraph), each
                          optionally .gz or .zst; Parquet (one record per row, read by row group);
                          folders and globs ("data/**/*.jsonl.gz"); Hugging Face dataset folders,
                          hub-cache repo folders or ids (org/name); repeat or comma-separate.
                          Clean copies of .zst and Parquet files are written as plain JSONL
  -b, --benchmarks <list> gsm8k=./test.jsonl,arc=./ARC-Challenge-Test.jsonl (as contam audit)
  --ngram <N>             words per n-gram (default ${DEFAULT_NGRAM}, lm-eval's)
  --min-ngrams <K>        distinct n-grams an item needs to count as found (default 1, lm-eval's rule)
  --fields <list>         text checked per item: gsm8k question|answer, arc question|choices|answer
                          (default question: lm-eval's decontamination query)
  --text-field <path>     dotted field of a JSONL record or Parquet row holding its text (default: text, content,
                          messages, conversations, prompt/chosen/rejected, ... whichever is present)
  --drop-tasks <FILE|solar-table8>  drop records whose task is listed (SOLAR paper, Table 8)
  --task-field <path>     dotted field holding a record's task name (default _task_name, FLAN's)
  --write-clean <DIR>     write the corpus minus matched and dropped records, plus ${MANIFEST_NAME};
                          with --shard, each shard writes its own records to DIR/shard-i-of-N/
                          (concatenate the shards' files to get the whole clean copy)
  --mask                  with --write-clean: keep a matched record, with every non-space character
                          of its matched n-gram windows replaced by ${JSON.stringify(MASK)} (listed under "masked"
                          in the manifest with its character ranges); dropped tasks are still removed
  --probes <K>            also look for K random 50-character spans per item, in the GPT-4 report's
                          style (letters and numbers only, spaces and symbols removed); reported
                          beside the n-gram result per item and per benchmark
  --seed <S>              seed for the probes' spans (default 0)
  --shard <i/N>           scan only records number i, i+N, i+2N, ... (then contam overlap merge)
  --workers <N>           threads that scan (default: one per core); 1 scans in the main thread.
                          Results are identical for every N. JSONL and text files only (plain or .gz)
  --out-dir <DIR>         where overlap.json, overlap.jsonl and overlap.md go (default reports/overlap-<time>)
  --fail-on <found|never> exit 100 when a benchmark has a found item (default never)
  --json                  print overlap.json on stdout instead of the summary
  --strict                stop at the first bad corpus record or benchmark row

Examples:
  contam overlap --corpus ./sft-data/ -b gsm8k=./gsm8k/test.jsonl,arc=./ARC-Challenge-Test.jsonl
  contam overlap --corpus 'flan/*.jsonl.gz' -b gsm8k=./test.jsonl --drop-tasks solar-table8 --write-clean ./flan-clean
  for i in 0 1 2; do contam overlap --corpus big.jsonl -b gsm8k=t.jsonl --shard $i/3 --out-dir s$i & done; wait
  contam overlap merge s0 s1 s2 --out-dir merged
  contam overlap --corpus ./hf-dataset/ -b gsm8k=./test.jsonl --write-clean ./masked --mask --probes 3
  contam overlap --corpus org/sft-mix -b gsm8k=./test.jsonl --out-dir ov   # a dataset in the hub cache
  contam audit --target ./model --reference ./base -b gsm8k=./test.jsonl --overlap ov/overlap.json`;

const FLAGS = {
  config: { type: 'string', short: 'c' },
  corpus: { type: 'string', multiple: true },
  benchmarks: { type: 'string', short: 'b' },
  ngram: { type: 'string' },
  'min-ngrams': { type: 'string' },
  fields: { type: 'string' },
  'text-field': { type: 'string' },
  'drop-tasks': { type: 'string' },
  'task-field': { type: 'string' },
  'write-clean': { type: 'string' },
  mask: { type: 'boolean' },
  probes: { type: 'string' },
  seed: { type: 'string' },
  shard: { type: 'string' },
  workers: { type: 'string' },
  'out-dir': { type: 'string' },
  'fail-on': { type: 'string' },
  json: { type: 'boolean' },
  strict: { type: 'boolean' },
} as const;

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function writeOutputs(results: OverlapResults, dir: string): string[] {
  const files = [
    [join(dir, 'overlap.json'), `${JSON.stringify(results, null, 2)}\n`],
    [join(dir, 'overlap.jsonl'), renderOverlapJsonl(results)],
    [join(dir, 'overlap.md'), renderOverlapMarkdown(results)],
  ] as const;
  for (const [path, content] of files) writeFileAtomic(path, content);
  return files.map(([path]) => path);
}

function finish(results: OverlapResults, written: readonly string[], fail: 'found' | 'never', json: boolean | undefined, io: Output): void {
  if (json) io.out(JSON.stringify(results, null, 2));
  else for (const line of overlapSummaryLines(results, written)) io.out(line);
  if (fail === 'found' && results.benchmarks.some((b) => b.found > 0)) process.exitCode = 100;
}

function readShardOutput(dir: string): OverlapResults {
  const path = existsSync(join(dir, 'overlap.json')) ? join(dir, 'overlap.json') : dir;
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as OverlapResults;
    if (typeof value?.schemaVersion !== 'number' || !Array.isArray(value.benchmarks)) throw new Error('not an overlap.json');
    return value;
  } catch (error) {
    throw new FatalError(`${path}: cannot read an overlap.json (${errorMessage(error)}); expected a folder written by contam overlap --shard`);
  }
}

async function runMerge(argv: string[], io: Output): Promise<void> {
  const { values, positionals } = parse('overlap merge', argv, { 'out-dir': { type: 'string' }, json: { type: 'boolean' }, 'fail-on': { type: 'string' } });
  if (values.help) return io.out(help);
  if (positionals.length === 0) throw new FatalError('contam overlap merge: expected the shard output folders (see contam overlap --help)');
  const fail = parseFailOn(values['fail-on']) ?? 'never';
  const merged = mergeResults(positionals.map(readShardOutput), positionals);
  const written = writeOutputs(merged, values['out-dir'] ?? `reports/overlap-${stamp(new Date())}`);
  finish(merged, written, fail, values.json, io);
}

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  if (argv[0] === 'merge') return runMerge(argv.slice(1), io);
  const { values, positionals } = parse('overlap', argv, FLAGS, true);
  if (values.help) return io.out(help);
  if (positionals.length > 0) throw new FatalError(`contam overlap: unexpected argument "${positionals[0]}"; pass corpus files with --corpus (see contam overlap --help)`);
  const options = resolveOverlapOptions(values);
  const { benchmarks: specs, ngram: n, minNgrams, fields, shard, failOn: fail, taskField, strict, textField, writeClean, probes, seed, mask } = options;
  const taskFilter = options.dropTasks !== undefined ? loadTaskFilter(options.dropTasks) : undefined;
  const corpus = expandCorpus(options.corpus);
  const outDir = options.outDir ?? `reports/overlap-${stamp(new Date())}`;
  const requestedWorkers = options.workers ?? defaultWorkers();
  probeWritable(outDir);

  const startedAt = new Date();
  const benchmarks = [];
  for (const spec of specs) benchmarks.push(await loadQueries(spec, fields, strict));
  const index = buildIndex(benchmarks, n);
  const probeScan = probes !== undefined ? new ProbeScan(index, probes, seed) : undefined;
  const oneThread = requestedWorkers > 1 ? singleThreadReason(corpus.files, { probes: probeScan, mask, clean: writeClean, shard }) : undefined;
  if (oneThread !== undefined) io.err(`overlap: scanning in one thread, not ${requestedWorkers} workers: ${oneThread}`);
  const workers = oneThread !== undefined ? 1 : requestedWorkers;
  const totalBytes = corpus.files.reduce((sum, f) => sum + f.bytes, 0);
  const reporter = await progressReporter({
    json: values.json === true,
    interactive: io === stdio && interactiveStderr(),
    write: (line) => io.err(line),
    header:
      `${index.items.length} benchmark items, ${index.size} distinct ${n}-grams; scanning ${corpus.files.length} file(s)${shard ? `, shard ${shard.index}/${shard.count}` : ''}` +
      `, ${(totalBytes / 1e6).toFixed(1)} MB on disk, ${workers === 1 ? 'in one thread' : `${workers} workers`}`,
    totalBytes,
  });
  const clean = writeClean !== undefined ? new CleanWriter(writeClean, commonFolder(corpus.files.map((f) => f.path)), { shard, mask }) : undefined;
  const scanOptions = { textField, taskField, taskFilter, strict, shard, clean, mask, probes: probeScan, onProgress: reporter.onProgress };
  const { scan } = await runScan(corpus.files, index, scanOptions, workers).finally(
    () => reporter.close(),
  );
  const cleaned = await clean?.close();
  const results = buildResults({
    benchmarks,
    index,
    scan,
    minNgrams,
    probes: probeScan,
    corpus: {
      files: corpus.files.map((f) => ({ path: f.path, bytes: f.bytes })),
      skippedFiles: corpus.skipped,
      textField: textField ?? 'auto (text, content, messages, conversations, prompt/chosen/rejected, ...)',
    },
    ...(taskFilter ? { taskFilter: { source: taskFilter.source, taskField } } : {}),
    run: {
      startedAt: startedAt.toISOString(),
      seconds: scan.seconds,
      mbPerSecond: scan.seconds > 0 ? scan.bytes / 1e6 / scan.seconds : 0,
      workers,
      ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
    },
  });
  const written = writeOutputs(results, outDir);
  if (clean && cleaned) io.err(`overlap: clean copy in ${clean.dir}: ${cleaned.removed} records removed${cleaned.masked !== undefined ? `, ${cleaned.masked} masked` : ''} (manifest ${MANIFEST_NAME})`);
  finish(results, written, fail, values.json, io);
}
