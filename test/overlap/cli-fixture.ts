/** A small benchmark in GSM8K's release format and a multi-file corpus with planted items, for CLI tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const QUESTIONS = [
  'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.',
  'Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting; how much did she earn?',
  'Betty is saving money for a new wallet which costs one hundred dollars and she has only half of the money.',
  'Julie is reading a 120-page book and yesterday she was able to read twelve pages before going to sleep early.',
  'Which gas do plants take in?',
];

export interface CliFixture {
  readonly root: string;
  readonly bench: string;
  readonly corpus: string;
}

/** `root/bench.jsonl` and `root/corpus/{a.jsonl, b.jsonl.gz, notes.txt}` with items 0, 1 and 2 planted. */
export function cliFixture(): CliFixture {
  const root = mkdtempSync(join(tmpdir(), 'contam-overlap-cli-'));
  const bench = join(root, 'bench.jsonl');
  writeFileSync(bench, QUESTIONS.map((question, i) => JSON.stringify({ question, answer: `Step ${i}.\n#### ${i}` })).join('\n') + '\n');
  const corpus = join(root, 'corpus');
  mkdirSync(corpus);
  const a: string[] = [];
  for (let i = 0; i < 30; i += 1) a.push(JSON.stringify({ text: `Record ${i} of ordinary prose about rivers, bridges and the number ${i * 7}.` }));
  a[4] = JSON.stringify({ text: `Intro. ${QUESTIONS[0]} Outro.`, _task_name: 'web' });
  a[11] = JSON.stringify({ messages: [{ role: 'user', content: QUESTIONS[1].toUpperCase() }, { role: 'assistant', content: 'About ten dollars.' }] });
  a[17] = '{"text": broken json';
  a[22] = JSON.stringify({ text: 'A record from a dropped task.', _task_name: 'cot_gsm8k' });
  a[25] = JSON.stringify({ text: 'ARC in the paper spelling.', _task_name: 'ai2_arcARCChallenge:1.0.0' });
  writeFileSync(join(corpus, 'a.jsonl'), `${a.join('\r\n')}\r\n`);
  const b: string[] = [];
  for (let i = 0; i < 20; i += 1) b.push(JSON.stringify({ prompt: `Prompt ${i}`, chosen: `Chosen answer ${i}`, rejected: `Rejected ${i}` }));
  b[9] = JSON.stringify({ prompt: `Solve: ${QUESTIONS[2]}`, chosen: '50', rejected: '20' });
  b[13] = JSON.stringify({ prompt: `Also: ${QUESTIONS[0]}`, chosen: 'x', rejected: 'y' });
  writeFileSync(join(corpus, 'b.jsonl.gz'), gzipSync(`${b.join('\n')}\n`));
  writeFileSync(join(corpus, 'notes.txt'), `Notes on things.\nMore notes.\n\n${QUESTIONS[3].replace(' yesterday ', '\nyesterday ')}\n\nEnd of notes.`);
  return { root, bench, corpus };
}
