/**
 * contam inspect says how a local model is scored: in the graph, and whether the LM head's product
 * moved into the head (graph-lm-head.ts): a fixture's small head does, and --json says the same.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGpt2Fixture } from '../fixtures/gpt2-fixture.js';
import { runCli } from './cli.js';

const root = mkdtempSync(join(tmpdir(), 'contam-inspect-'));
const dir = join(root, 'model');
beforeAll(async () => {
  await writeGpt2Fixture(dir, { seed: 5 });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('contam inspect on a local export', () => {
  it('says the head is in the graph with the LM head moved in, in text and in --json', () => {
    const text = runCli(['inspect', dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^scoring\s+in-graph, with the LM head \(no pass holds its whole logits\), \d+ threads$/m);
    const json = runCli(['inspect', dir, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).scoringHead).toBe('in-graph, with the LM head (no pass holds its whole logits)');
  });
});
