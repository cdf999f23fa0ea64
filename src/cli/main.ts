#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=131072 node --expose-gc --max-semi-space-size=1 --heap-growing-percent=20
/**
 * contam: audit a language model for benchmark data contamination.
 * One verb per module; errors meant for users are FatalErrors, printed as one line.
 */
import { FatalError, errorMessage } from '../errors.js';
import { version } from '../version.js';

type Command = { run(argv: string[]): Promise<void>; help: string };

const verbs: Record<string, { summary: string; load: () => Promise<Command> }> = {
  audit: { summary: 'score benchmarks under a target and a reference model; write reports', load: () => import('./commands/audit.js') },
  demo: { summary: 'build tiny contaminated models and audit them (no downloads)', load: () => import('./commands/demo.js') },
  overlap: { summary: 'scan training corpora for benchmark n-grams (lm-eval decontamination)', load: () => import('./commands/overlap.js') },
  report: { summary: 'render results.json again as .md, .json or .jsonl', load: () => import('./commands/report.js') },
  inspect: { summary: 'show how contam reads a model folder', load: () => import('./commands/inspect.js') },
  score: { summary: "show a model's per-token log-probs for a text", load: () => import('./commands/score.js') },
  list: { summary: 'list benchmarks or detectors', load: () => import('./commands/list.js') },
  validate: { summary: 'check a contam.config.yaml', load: () => import('./commands/validate.js') },
  cache: { summary: 'show or clear the result cache', load: () => import('./commands/cache.js') },
};

function usage(): string {
  const width = Math.max(...Object.keys(verbs).map((v) => v.length));
  return [
    `contam ${version}: audit language models for benchmark data contamination`,
    '',
    'Usage: contam <command> [options]    (contam <command> --help for details)',
    '',
    ...Object.entries(verbs).map(([name, v]) => `  ${name.padEnd(width)}  ${v.summary}`),
    '',
    'Examples:',
    '  contam demo',
    '  contam audit --target ./my-model --reference ./base-model --benchmarks gsm8k=./gsm8k/test.jsonl',
    '  contam inspect ./my-model',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  if (verb === '--version' || verb === '-v') {
    process.stdout.write(`${version}\n`);
    return;
  }
  const entry = verbs[verb];
  if (!entry) throw new FatalError(`unknown command "${verb}"; expected one of ${Object.keys(verbs).join(', ')}`);
  const command = await entry.load();
  await command.run(rest);
}

const verbose = process.argv.includes('--verbose');
main(process.argv.slice(2).filter((a) => a !== '--verbose')).catch((error: unknown) => {
  if (error instanceof FatalError) {
    process.stderr.write(`contam: ${error.message}\n`);
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`contam: internal error: ${errorMessage(error).split('\n')[0]}${verbose ? '' : ' (run again with --verbose for details)'}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
});
