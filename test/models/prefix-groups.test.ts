/**
 * Texts of one scoring call that begin alike feed their common tokens once (prefix-groups.ts): the
 * groups found, and the numbers against each text scored alone and against an independent
 * TypeScript forward pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openModel, type OpenedModel } from '../../src/models/onnx/open.js';
import { MIN_SHARED, prefixGroups, sharedScoringWorks } from '../../src/models/onnx/prefix-groups.js';
import { sharedStart } from '../../src/models/onnx/segments.js';
import type { TokenScores } from '../../src/models/types.js';
import { gpt2FixtureWeights, writeGpt2Fixture, type Gpt2FixtureOptions } from '../fixtures/gpt2-fixture.js';
import { expectedStats, gpt2Forward } from '../helpers/fixture-forward.js';
import { maxAbsDiff } from './kv-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'contam-prefix-groups-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (from: number, n: number) => Array.from({ length: n }, (_, i) => (from + 7 * i) % 250 + 2);

describe('prefixGroups', () => {
  it('groups texts that share at least MIN_SHARED + 1 tokens, each group once, unrelated texts in none', () => {
    const a = run(3, 21);
    const b = run(90, 18);
    const seqs = [
      [...a, 1, 2, 3],
      run(40, 30),
      [...b, 9, 9],
      [...a, 5],
      [...b, 4, 4, 4],
      [...a, 7, 8, 9, 10],
      [...run(3, MIN_SHARED), 1, 1],
      [...run(3, MIN_SHARED), 2, 2],
    ];
    const groups = prefixGroups(seqs, seqs.map((_, i) => i));
    const byLead = groups.map((g) => ({ seqs: [...g.seqs].sort(), length: g.length })).sort((x, y) => x.seqs[0] - y.seqs[0]);
    // a's three texts share 21 tokens (+ none beyond), b's two share 18; the last two only MIN_SHARED.
    expect(byLead).toEqual([
      { seqs: [0, 3, 5], length: 20 },
      { seqs: [2, 4], length: 17 },
    ]);
  });

  it('a member that is the common prefix itself leaves one position less to share, and candidates limit the search', () => {
    const a = run(5, 30);
    const seqs = [a, [...a, 3, 4], [...a, 6]];
    expect(prefixGroups(seqs, [0, 1, 2])).toEqual([{ seqs: [0, 1, 2], length: 29 }]);
    expect(prefixGroups(seqs, [1])).toEqual([]);
  });
});

/** Head width 16: rows of 16 or more new positions take the export's own products (graph-attention.ts). */
const options: Gpt2FixtureOptions = { kvConvention: 'optimum', std: 0.2, seed: 41, layers: 2, width: 64, heads: 4 };

/** Each text's numbers scored with the others equal its numbers scored alone (<= 1e-5). */
function sameAsAlone(together: readonly TokenScores[], alone: readonly TokenScores[]): void {
  expect(together.length).toBe(alone.length);
  together.forEach((s, i) => {
    expect(maxAbsDiff(s.logprob, alone[i].logprob)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(s.mean, alone[i].mean)).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(s.std, alone[i].std)).toBeLessThanOrEqual(1e-5);
  });
}

/** The [batch, seq] of every input_ids a session was run with while `work` ran. */
async function passShapes(model: OpenedModel, work: () => Promise<unknown>): Promise<number[][]> {
  const session = model.opened.session as unknown as { run: (feeds: Record<string, { dims: readonly number[] }>, fetch?: unknown) => Promise<unknown> };
  const original = session.run;
  const shapes: number[][] = [];
  session.run = (feeds, fetch) => {
    shapes.push([...feeds.input_ids.dims]);
    return original.call(session, feeds, fetch);
  };
  try {
    await work();
  } finally {
    session.run = original;
  }
  return shapes;
}

describe('scoring texts that begin alike', () => {
  const prefix = run(11, 24);
  // Continuations of 3, 9 and 30 tokens (30 >= the head width: the export's own products), one text
  // that is the prefix alone, one that is unrelated.
  const texts = [[...prefix, ...run(60, 3)], [...prefix, ...run(70, 9)], [...prefix, ...run(80, 30)], [...prefix], run(100, 20)];
  const weights = gpt2FixtureWeights(options);
  let dir: string;
  beforeAll(async () => {
    dir = join(root, 'optimum');
    await writeGpt2Fixture(dir, options);
  });

  const check = (scores: readonly TokenScores[]) => {
    scores.forEach((s, i) => {
      const want = expectedStats(gpt2Forward(weights, texts[i]), texts[i]);
      expect(maxAbsDiff(s.logprob, want.lp)).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(s.mean, want.mean)).toBeLessThanOrEqual(1e-4);
      expect(maxAbsDiff(s.std, want.std)).toBeLessThanOrEqual(1e-4);
    });
  };

  it('feed the common tokens once (a pass of batch 1), then only their own: numbers equal each text alone (<= 1e-5) and a TypeScript forward pass (<= 1e-4)', async () => {
    // 64 positions: the rows after the prefix go in two passes ([30, 9] and [3]).
    for (const tokenBudget of [256, 64]) {
      const model = await openModel(dir, { withoutTokenizer: true, tokenBudget });
      try {
        const alone = [];
        for (const t of texts) alone.push((await model.scoreIds([t]))[0]);
        let together: TokenScores[] = [];
        const shapes = await passShapes(model, async () => (together = await model.scoreIds(texts)));
        expect(shapes).toContainEqual([1, prefix.length - 1]);
        // No pass feeds a grouped text from its start: the rows feed their continuations (the
        // prefix's last token, then all but the last of their own), the unrelated text its 19.
        const widths = shapes.map(([, seq]) => seq);
        for (const t of texts.slice(0, 3)) expect(widths).not.toContain(t.length - 1);
        expect(widths).toContain(30);
        expect(widths).toContain(texts[4].length - 1);
        check(together);
        sameAsAlone(together, alone);
      } finally {
        await model.close();
      }
    }
  });

  it('two groups in one call, and a text longer than the context (rolling windows) that begins alike but joins none: the same numbers as each alone (<= 1e-5)', async () => {
    const other = run(150, 20);
    // Fixture context 128: 174 tokens go in rolling windows.
    const more = [...texts, [...other, ...run(30, 5)], [...other, ...run(31, 12)], [...prefix, ...run(120, 150)]];
    const model = await openModel(dir, { withoutTokenizer: true });
    try {
      const alone = [];
      for (const t of more) alone.push((await model.scoreIds([t]))[0]);
      let together: TokenScores[] = [];
      const shapes = await passShapes(model, async () => (together = await model.scoreIds(more)));
      expect(shapes).toContainEqual([1, prefix.length - 1]);
      expect(shapes).toContainEqual([1, other.length - 1]);
      together.forEach((s, i) => {
        expect(s.ids).toEqual(more[i]);
        expect(Array.from(s.logprob.slice(1)).every(Number.isFinite)).toBe(true);
      });
      sameAsAlone(together, alone);
    } finally {
      await model.close();
    }
  });

  it('a long prefix scored once lets go of its K/V when released', async () => {
    const model = await openModel(dir, { withoutTokenizer: true });
    try {
      const start = await sharedStart(model.opened, [...prefix, 3, 4], prefix.length, 8, 0);
      expect(start.buffers.length).toBe(model.opened.signature.kv!.pastNames.length);
      expect(start.buffers[0].length).toBeGreaterThan(0);
      start.release();
      expect(start.buffers.length).toBe(0);
    } finally {
      await model.close();
    }
  });

  it('the check runs both attention paths once, even on a short text: a row of fewer new positions than a head is wide and one of more', async () => {
    const model = await openModel(dir, { withoutTokenizer: true });
    try {
      let ok = false;
      const shapes = await passShapes(model, async () => (ok = await sharedScoringWorks(model.opened, run(11, 20), 0, 128)));
      expect(ok).toBe(true);
      // Rows after 4 shared positions: 7 new (12-token probe), and 31 (the text repeated to 4 + 16 + 16).
      expect(shapes).toContainEqual([1, 7]);
      expect(shapes).toContainEqual([1, 31]);
      // Known after the first time: no more passes.
      expect(await passShapes(model, () => sharedScoringWorks(model.opened, run(11, 20), 0, 128))).toEqual([]);
    } finally {
      await model.close();
    }
  });

  it('long texts (in segments) take their common positions from one scored prefix: numbers equal each alone (<= 1e-5) and a TypeScript forward pass (<= 1e-4), with fewer positions fed', async () => {
    const stacked = join(root, 'stacked-long');
    await writeGpt2Fixture(stacked, { ...options, kvConvention: 'stacked' });
    // 16 positions: every text here is longer, so each goes in segments through the K/V cache.
    for (const where of [dir, stacked]) {
      const fed = async (work: (m: OpenedModel) => Promise<TokenScores[]>) => {
        const model = await openModel(where, { withoutTokenizer: true, tokenBudget: 16 });
        try {
          let scores: TokenScores[] = [];
          const shapes = await passShapes(model, async () => (scores = await work(model)));
          return { scores, positions: shapes.reduce((n, [b, seq]) => n + b * seq, 0) };
        } finally {
          await model.close();
        }
      };
      const alone = await fed(async (m) => {
        const out = [];
        for (const t of texts) out.push((await m.scoreIds([t]))[0]);
        return out;
      });
      const together = await fed((m) => m.scoreIds(texts));
      check(together.scores);
      sameAsAlone(together.scores, alone.scores);
      // Four texts share 23 positions: three of them no longer feed them (the prefix is fed once).
      expect(together.positions, where).toBeLessThanOrEqual(alone.positions - 60);
    }
  });

  it('without the split attention (or with stacked K/V) texts are scored whole, with the same numbers', async () => {
    const stacked = join(root, 'stacked');
    await writeGpt2Fixture(stacked, { ...options, kvConvention: 'stacked' });
    for (const [where, open] of [
      ['plain attention', { splitAttention: false }],
      ['stacked K/V', {}],
    ] as const) {
      const model = await openModel(where === 'stacked K/V' ? stacked : dir, { withoutTokenizer: true, ...open });
      try {
        expect(await sharedScoringWorks(model.opened, texts[0], 0, 128), where).toBe(false);
        let scores: TokenScores[] = [];
        const shapes = await passShapes(model, async () => (scores = await model.scoreIds(texts)));
        expect(shapes, where).not.toContainEqual([1, prefix.length - 1]);
        check(scores);
      } finally {
        await model.close();
      }
    }
  });
});
