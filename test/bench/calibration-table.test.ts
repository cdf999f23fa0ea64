import { describe, expect, it } from 'vitest';
import { calibrationMarkdown, pickPrimary, type CalibrationResults, type CaseMeasure, type DetectorMeasure } from '../../bench/calibration-table.js';

const detectors = ['loss', 'zlib', 'min-k'];

/** A detector on a case with `members` memorised and `clean` clean items, flagging the given counts. */
function cell(detector: string, members: number, membersFlagged: number, clean: number, cleanFlagged: number): DetectorMeasure {
  return {
    detector,
    members,
    membersFlagged,
    nonMembers: clean,
    nonMembersFlagged: cleanFlagged,
    tpr: members ? membersFlagged / members : null,
    falseAlarm: clean ? cleanFlagged / clean : null,
    share: (membersFlagged + cleanFlagged) / (members + clean),
    control: 0,
    auroc: members && clean ? 0.9 : null,
  };
}

function kase(strength: string, level: number, twin: boolean, flags: Record<string, [number, number]>): CaseMeasure {
  const members = twin ? 0 : 100 * level;
  const clean = 100 - members;
  return {
    name: `${twin ? 'twin' : 'members'}-${level * 100}`,
    strength,
    level,
    twin,
    items: 100,
    members,
    buildMs: 1,
    auditMs: 1,
    detectors: detectors.map((d) => cell(d, members, flags[d][0], clean, flags[d][1])),
  };
}

function results(cases: CaseMeasure[]): CalibrationResults {
  return {
    schemaVersion: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 90_000,
    machine: 'Test CPU, 2 cores',
    settings: { items: 100, neighbours: 50, cut: 0.1, seed: 0, detectors },
    memorisation: { strong: { repeats: 3, retold: 0 }, weak: { repeats: 1, retold: 0.5, discount: 0.95 } },
    nullRate: 0.0980392156862745,
    cases,
  };
}

describe('pickPrimary', () => {
  it('drops a detector whose false alarms exceed the null, then takes the most sensitive under weak memorisation', () => {
    const r = results([
      kase('strong', 0.5, false, { loss: [50, 0], zlib: [50, 0], 'min-k': [50, 20] }),
      kase('weak', 0.5, false, { loss: [10, 0], zlib: [40, 0], 'min-k': [50, 0] }),
    ]);
    const choice = pickPrimary(r);
    expect(choice.detector).toBe('zlib');
    expect(choice.tiedWith).toEqual([]);
    expect(choice.standings.map((s) => [s.detector, s.eligible, s.worstFalseAlarm])).toEqual([
      ['loss', true, 0],
      ['zlib', true, 0],
      ['min-k', false, 0.4],
    ]);
  });

  it('a difference within noise is a tie, which the detector order breaks', () => {
    const r = results([
      kase('strong', 0.5, false, { loss: [50, 0], zlib: [49, 0], 'min-k': [30, 0] }),
      kase('weak', 0.5, false, { loss: [10, 0], zlib: [11, 0], 'min-k': [1, 0] }),
      kase('weak', 1, true, { loss: [0, 3], zlib: [0, 2], 'min-k': [0, 0] }),
    ]);
    const choice = pickPrimary(r);
    expect(choice.detector).toBe('loss');
    expect(choice.tiedWith).toEqual(['zlib']);
    expect(choice.standings[0].tpr).toEqual({ strong: { flagged: 50, of: 50 }, weak: { flagged: 10, of: 50 } });
  });
});

describe('calibrationMarkdown', () => {
  it('writes one table per strength with a column per level and the choice at the end', () => {
    const md = calibrationMarkdown(
      results([
        kase('strong', 0, false, { loss: [0, 0], zlib: [0, 1], 'min-k': [0, 0] }),
        kase('strong', 0.5, false, { loss: [50, 0], zlib: [45, 0], 'min-k': [30, 0] }),
        kase('strong', 1, true, { loss: [0, 2], zlib: [0, 0], 'min-k': [0, 0] }),
      ]),
    );
    const lines = md.split('\n');
    expect(lines).toContain('### strong memorisation (3 copies per member, verbatim, target discount 0.75)');
    expect(lines).toContain('| detector | 0% | 50% | twin 100% |');
    expect(lines).toContain('| loss | – (0.00) | 1.00 (0.00) | – (0.02) |');
    expect(lines).toContain('| zlib | 0.01 / 0.00 | 0.45 / 0.00 | 0.00 / 0.00 |');
    expect(lines).toContain('| loss AUROC, members vs non-members | – | 0.90 | – |');
    expect(lines).toContain('| loss | 0.02 | 1.00 (50/50) | yes |');
    expect(md).toMatch(/in 1\.5 min/);
    expect(lines.at(-2)).toBe('Most sensitive at a false-alarm rate within the null: **loss**.');
  });
});
