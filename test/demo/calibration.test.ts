/**
 * The calibration cases (issue 17) have the properties the calibration table relies on: the share of
 * members asked for, nested levels, a twin whose target never saw the benchmark, and memorisation that
 * is perfect when strong and about 0.9 (loss AUROC) when weak. Small sizes: 60 items.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCalibrationCase, calibrationTexts, MEMORISATION, type CalibrationCase } from '../../src/demo/calibration.js';
import { createDetector } from '../../src/detectors/registry.js';
import { openModel } from '../../src/models/onnx/open.js';
import { auroc } from '../../src/stats/roc.js';

const items = 60;
const memberTexts = (fraction: number) => calibrationTexts({ items, memberFraction: fraction }).benchmark.filter((x) => x.member).map((x) => x.text);

describe('calibration texts', () => {
  it('put the asked share of items in the target, nested from one level to the next', () => {
    expect(memberTexts(0)).toEqual([]);
    const [ten, quarter, half, all] = [0.1, 0.25, 0.5, 1].map(memberTexts);
    expect([ten, quarter, half, all].map((x) => x.length)).toEqual([6, 15, 30, 60]);
    expect(quarter.filter((t) => ten.includes(t))).toEqual(ten);
    expect(half.filter((t) => quarter.includes(t))).toEqual(quarter);
  });

  it('strong: each member verbatim three times and nothing else; 0%: nothing beyond the background', () => {
    const strong = calibrationTexts({ items, memberFraction: 0.25, strength: 'strong' });
    const members = strong.benchmark.filter((x) => x.member).map((x) => x.text);
    expect([...strong.extra].sort()).toEqual([...members, ...members, ...members].sort());
    expect(calibrationTexts({ items, memberFraction: 0, strength: 'strong' }).extra).toEqual([]);
  });

  it('weak: each member once, retold, so most copies differ from the item', () => {
    const weak = calibrationTexts({ items, memberFraction: 0.5, strength: 'weak' });
    const members = weak.benchmark.filter((x) => x.member).map((x) => x.text);
    expect(weak.extra).toHaveLength(members.length);
    const verbatim = weak.extra.filter((t) => members.includes(t)).length;
    expect(verbatim).toBeLessThan(members.length / 4);
  });

  it("twin: as much benchmark-style text, none of the benchmark's items nor their words", () => {
    const twin = calibrationTexts({ items, memberFraction: 1, twin: true });
    const contaminated = calibrationTexts({ items, memberFraction: 1 });
    expect(twin.benchmark.map((x) => x.text)).toEqual(contaminated.benchmark.map((x) => x.text));
    expect(twin.benchmark.every((x) => !x.member)).toBe(true);
    expect(twin.extra).toHaveLength(contaminated.extra.length);
    const training = [...twin.background, ...twin.extra];
    const trainingWords = new Set(training.flatMap((t) => t.split(' ')));
    const backgroundWords = new Set(twin.background.flatMap((t) => t.split(' ')));
    for (const item of twin.benchmark) {
      expect(training).not.toContain(item.text);
      // An item's own names are the words the background lacks: the twin's text has none of them.
      const own = item.text.split(' ').filter((w) => !backgroundWords.has(w));
      expect(own.length).toBeGreaterThan(0);
      expect(own.filter((w) => trainingWords.has(w))).toEqual([]);
    }
  });

  it('refuses sizes the 6-gram cannot hold, fractions outside 0-1 and a discount of 1', () => {
    expect(() => calibrationTexts({ items: 301, memberFraction: 0 })).toThrow(/items must be/);
    expect(() => calibrationTexts({ items, memberFraction: 1.5 })).toThrow(/memberFraction/);
    expect(() => calibrationTexts({ items, memberFraction: 0, strength: { repeats: 1, retold: 0, discount: 1 } })).toThrow(/discount/);
  });
});

describe('calibration cases on disk', () => {
  let dir: string;
  const cases: Record<string, CalibrationCase> = {};

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'contam-calibration-'));
    cases.strong = buildCalibrationCase({ dir, items, memberFraction: 0.5, strength: 'strong' });
    cases.weak = buildCalibrationCase({ dir, items, memberFraction: 0.5, strength: 'weak' });
    cases.none = buildCalibrationCase({ dir, items, memberFraction: 0, strength: 'weak' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const labels = (c: CalibrationCase) => readFileSync(c.benchmark.path, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { label: string }).label);

  it('are built once, share one reference and label their members', () => {
    expect(cases.strong.built).toBe(true);
    expect(buildCalibrationCase({ dir, items, memberFraction: 0.5, strength: 'strong' })).toEqual({ ...cases.strong, built: false });
    expect(new Set(Object.values(cases).map((c) => c.referenceDir)).size).toBe(1);
    expect(cases.weak.memorisation).toEqual(MEMORISATION.weak);
    expect(labels(cases.weak).filter((l) => l === 'member')).toHaveLength(30);
    expect(cases.weak.members).toBe(30);
    expect(labels(cases.none).every((l) => l === 'non-member')).toBe(true);
  });

  async function lossAuroc(c: CalibrationCase): Promise<number> {
    const rows = readFileSync(c.benchmark.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; label: string });
    const model = await openModel(c.targetDir);
    try {
      const loss = createDetector('loss', {});
      const scores = (await model.scoreTexts(rows.map((r) => r.text))).map((s, i) => loss.score(s, { text: rows[i].text }));
      return auroc(scores.filter((_, i) => rows[i].label === 'member'), scores.filter((_, i) => rows[i].label !== 'member'));
    } finally {
      await model.close();
    }
  }

  it('strong memorisation separates members perfectly, weak about 0.9 (loss AUROC)', async () => {
    const [strong, weak] = [await lossAuroc(cases.strong), await lossAuroc(cases.weak)];
    console.log(`loss AUROC at ${items} items: strong ${strong.toFixed(3)}, weak ${weak.toFixed(3)}`);
    expect(strong).toBe(1);
    expect(weak).toBeGreaterThanOrEqual(0.8);
    expect(weak).toBeLessThanOrEqual(0.97);
  });
});
