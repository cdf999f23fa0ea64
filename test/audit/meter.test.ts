import { describe, expect, it } from 'vitest';
import { Meter } from '../../src/audit/meter.js';
import type { ModelBackend } from '../../src/models/backend.js';
import { timingLine } from '../../src/report/markdown-sections.js';

const model = {
  score: async (seqs: readonly (readonly number[])[]) => seqs.map((s) => ({ logprobs: s.map(() => -1) })),
  sample: async (_prefix: unknown, o: { n: number }) => Array.from({ length: o.n }, (_, i) => `text ${i}`),
} as unknown as ModelBackend;

describe('the audit meter', () => {
  it('counts the tokens each seat scored and the texts sampled, besides the time', async () => {
    const meter = new Meter();
    const target = meter.wrap(model, 'target');
    const reference = meter.wrap(model, 'reference');
    await target.score([[1, 2, 3], [4, 5]], {} as never);
    await target.score([[6]], {} as never);
    await reference.score([[1, 2, 3, 4]], {} as never);
    await reference.sample({ ids: [1], text: 'a' }, { n: 7 } as never);
    const t = meter.timing(10, false);
    expect(t.work).toEqual({ targetTokensScored: 6, referenceTokensScored: 4, textsSampled: 7 });
    expect(meter.calls).toBe(4);
    expect(timingLine(t)).toContain('6 tokens scored by the target, 4 by the reference, 7 neighbours sampled');
  });

  it('a failed call counts its time but no work', async () => {
    const meter = new Meter();
    const failing = meter.wrap({ ...model, score: async () => Promise.reject(new Error('engine down')) } as ModelBackend, 'target');
    await expect(failing.score([[1, 2]], {} as never)).rejects.toThrow('engine down');
    expect(meter.timing(1, false).work).toEqual({ targetTokensScored: 0, referenceTokensScored: 0, textsSampled: 0 });
  });

  it('results written before the work was counted still read', () => {
    expect(timingLine({ wallMs: 5, phasesMs: { referenceSampling: 1, targetScoring: 1, referenceScoring: 1, statistics: 0, loading: 0, cache: 0 }, sideBySide: false })).not.toContain('tokens scored');
  });
});
