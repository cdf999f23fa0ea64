/** `--shard i/N` then `contam overlap merge` gives the unsharded overlap.json, apart from its run block. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../e2e/cli.js';
import { cliFixture } from './cli-fixture.js';

function withoutRun(path: string): unknown {
  const { run: _run, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return rest;
}

describe('contam overlap --shard and merge', () => {
  it('shards 0/3, 1/3, 2/3 merged equal the unsharded run in overlap.json, overlap.jsonl and overlap.md', () => {
    const { root, bench, corpus } = cliFixture();
    const common = ['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`, '--drop-tasks', 'solar-table8'];
    const whole = runCli([...common, '--out-dir', join(root, 'whole')]);
    expect(whole.stderr).not.toMatch(/internal error/);
    expect(whole.code).toBe(0);
    for (let i = 0; i < 3; i += 1) expect(runCli([...common, '--shard', `${i}/3`, '--out-dir', join(root, `s${i}`)]).code).toBe(0);
    const merged = runCli(['overlap', 'merge', join(root, 's2'), join(root, 's0'), join(root, 's1'), '--out-dir', join(root, 'merged')]);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(0);
    expect(withoutRun(join(root, 'merged/overlap.json'))).toEqual(withoutRun(join(root, 'whole/overlap.json')));
    const strip = (p: string) => JSON.stringify(withoutRun(p), null, 2);
    expect(strip(join(root, 'merged/overlap.json'))).toBe(strip(join(root, 'whole/overlap.json')));
    for (const f of ['overlap.jsonl', 'overlap.md']) expect(readFileSync(join(root, 'merged', f), 'utf8')).toBe(readFileSync(join(root, 'whole', f), 'utf8'));
    const one = JSON.parse(readFileSync(join(root, 's1/overlap.json'), 'utf8')) as { run: { shard: string }; corpus: { records: number } };
    expect(one.run.shard).toBe('1/3');
    expect(one.corpus.records).toBeLessThan(30);
  });

  it('refuses incomplete or mixed shard sets with one line', () => {
    const { root, bench, corpus } = cliFixture();
    const common = ['overlap', '--corpus', corpus, '-b', `gsm8k=${bench}`];
    runCli([...common, '--shard', '0/2', '--out-dir', join(root, 's0')]);
    runCli([...common, '--out-dir', join(root, 'whole')]);
    const missing = runCli(['overlap', 'merge', join(root, 's0'), '--out-dir', join(root, 'm')]);
    expect([missing.code, missing.stderr]).toEqual([1, 'contam: contam overlap merge: shard(s) 1/2 missing; expected all 2 shard outputs\n']);
    const notShard = runCli(['overlap', 'merge', join(root, 's0'), join(root, 'whole'), '--out-dir', join(root, 'm')]);
    expect(notShard.stderr).toBe(`contam: ${join(root, 'whole')}: not a shard output (run.shard is null); expected one written with --shard i/N\n`);
  });
});
