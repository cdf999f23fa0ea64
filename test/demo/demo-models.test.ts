/**
 * The demo's promise, checked on the models themselves (issue #7): the target has memorised its
 * contaminated items and the detectors find that, while the reference (and the target on items it never
 * saw) does not. CI runs the 'ci' size (20 items per benchmark, 40 neighbours); locally the full one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBenchmark } from '../../src/benchmarks/load.js';
import type { Sample } from '../../src/benchmarks/types.js';
import { createDetector } from '../../src/detectors/registry.js';
import { openModel, type OpenedModel } from '../../src/models/onnx/open.js';
import { prepareDemo, type PreparedDemo } from '../../src/demo/prepare.js';
import { auroc } from '../../src/stats/roc.js';

const size = process.env.CI ? 'ci' : 'full';
const started = Date.now();
let cacheDir: string;
let demo: PreparedDemo;
let target: OpenedModel;
let reference: OpenedModel;
const samples = new Map<string, readonly Sample[]>();
const timings: Record<string, number> = {};

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'contam-demo-'));
  const t0 = Date.now();
  demo = await prepareDemo({ cacheDir, size });
  timings.buildMs = Date.now() - t0;
  [target, reference] = await Promise.all([openModel(demo.targetDir), openModel(demo.referenceDir)]);
  for (const spec of demo.benchmarks) {
    const loaded = await loadBenchmark({ task: spec.task, path: spec.path, strict: true, options: spec.options });
    samples.set(spec.name, loaded.samples);
  }
});

afterAll(async () => {
  await target?.close();
  await reference?.close();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
  timings.totalMs = Date.now() - started;
  console.log(`demo timings (${size}):`, timings);
});

describe(`the demo (${size})`, () => {
  it('is built once: a second prepare reuses the cache', async () => {
    const again = await prepareDemo({ cacheDir, size });
    expect(again).toEqual({ ...demo, built: false });
    expect(demo.built).toBe(true);
    const config = JSON.parse(readFileSync(join(demo.targetDir, 'config.json'), 'utf8')) as { vocab_size: number };
    expect(target.vocabSize).toBe(config.vocab_size);
    expect(config.vocab_size).toBeLessThanOrEqual(3000);
  });

  it('labels the items: all members, none, and the known fraction', () => {
    const fractionOf = (name: string) => samples.get(name)!.filter((s) => s.label === 'member').length / samples.get(name)!.length;
    expect(fractionOf(demo.expected.contaminated)).toBe(1);
    expect(fractionOf(demo.expected.clean)).toBe(0);
    expect(fractionOf(demo.expected.partial.name)).toBe(demo.expected.partial.fraction);
    expect(demo.expected.partial.fraction).toBe(0.4);
  });

  it("the reference's samples read like the language: known words, ending with a full stop", async () => {
    const ids = await reference.sampleIds(reference.tokenizer.encode('The town of'), { n: 5, maxNewTokens: 30, temperature: 1, topK: 50, seed: 1 });
    const conts = ids.map((c) => reference.tokenizer.decode(c, { skipSpecialTokens: true }));
    console.log('reference samples:', conts);
    for (const text of conts) expect(text).not.toContain('<unk>');
    expect(conts.filter((t) => t.trim().endsWith('.')).length).toBeGreaterThanOrEqual(4);
  });

  it('Min-K%++ separates members from held-out items (AUROC >= 0.95)', async () => {
    const all = [...samples.values()].flat();
    const detector = createDetector('min-k-plus-plus', { k: 0.2 });
    const scores = (await target.scoreTexts(all.map((s) => s.text))).map((s, i) => detector.score(s, { text: all[i].text }));
    const members = scores.filter((_, i) => all[i].label === 'member');
    const heldOut = scores.filter((_, i) => all[i].label === 'non-member');
    const value = auroc(members, heldOut);
    // The reference saw none of them: on it, the same split is chance.
    const refScores = (await reference.scoreTexts(all.map((s) => s.text))).map((s, i) => detector.score(s, { text: all[i].text }));
    const control = auroc(refScores.filter((_, i) => all[i].label === 'member'), refScores.filter((_, i) => all[i].label === 'non-member'));
    console.log(`Min-K%++ AUROC: target ${value.toFixed(3)}, reference ${control.toFixed(3)} (${members.length} vs ${heldOut.length})`);
    expect(value).toBeGreaterThanOrEqual(0.95);
    expect(control).toBeGreaterThan(0.25);
    expect(control).toBeLessThan(0.75);
  });
  // The neighbour-rank checks run through the real engine and CLI in demo-audit.test.ts.
});
