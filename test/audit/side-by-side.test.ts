import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAudit } from '../../src/audit/run.js';
import { oneAtATime, planSeats, samplesInFlight } from '../../src/audit/seats.js';
import type { ModelBackend } from '../../src/models/backend.js';
import { fixtureAuditConfig, writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'contam-seats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('two local models side by side', () => {
  let fx: AuditFixture;
  beforeAll(async () => {
    fx = await writeAuditFixture(join(root, 'fx'), { rows: 10 });
  });

  it('gives the same records as one after the other', async () => {
    const config = (sideBySide: boolean) =>
      fixtureAuditConfig(fx, join(root, 'cache'), { samples: 10, seed: 5, neighbours: 30, onnx: { batchSize: 16, sideBySide } });
    const events: string[] = [];
    const apart = await runAudit(config(false));
    const together = await runAudit(config(true), { onEvent: (e) => e.type === 'sample-done' && events.push(e.sample.id) });
    // Everything but timing is identical: scores, ranks, flags, neighbours scored, token texts.
    expect(together.samples).toEqual(apart.samples);
    expect(events).toEqual(apart.samples.map((s) => s.id));
    expect(together.results.benchmarks.map((b) => b.detectors)).toEqual(apart.results.benchmarks.map((b) => b.detectors));
    expect(together.results.modelCalls).toBe(apart.results.modelCalls);
    // Each records where its time went; the model phases are the calls' own wall times.
    for (const [run, side] of [[apart, false], [together, true]] as const) {
      const t = run.results.timing!;
      expect(t.sideBySide).toBe(side);
      expect(Object.keys(t.phasesMs)).toEqual(['referenceSampling', 'targetScoring', 'referenceScoring', 'statistics', 'loading', 'cache']);
      for (const phase of ['referenceSampling', 'targetScoring', 'referenceScoring', 'statistics'] as const) expect(t.phasesMs[phase]).toBeGreaterThan(0);
      expect(t.wallMs).toBeGreaterThan(0);
    }
    // The same work either way: tokens scored per seat and neighbours sampled.
    expect(together.results.timing!.work).toEqual(apart.results.timing!.work);
    expect(apart.results.timing!.work!.textsSampled).toBeGreaterThan(0);
    // One after the other, the model phases cannot add up to more than the wall time.
    const p = apart.results.timing!.phasesMs;
    expect(p.referenceSampling + p.targetScoring + p.referenceScoring).toBeLessThanOrEqual(apart.results.timing!.wallMs + 1);
  });

  it('two local models one after the other unless asked; side by side, in workers on every core; a served model always overlaps', () => {
    const local = { target: { path: 't' }, reference: { path: 'r' } };
    expect(planSeats({ ...local, onnx: {} }, 2)).toEqual({ sideBySide: false, workers: false });
    expect(planSeats({ ...local, onnx: { sideBySide: true } }, 2)).toEqual({ sideBySide: true, workers: true });
    expect(planSeats({ ...local, onnx: { sideBySide: true } }, 8)).toEqual({ sideBySide: true, workers: true });
    expect(planSeats({ ...local, onnx: { sideBySide: false } }, 8)).toEqual({ sideBySide: false, workers: false });
    expect(planSeats({ ...local, onnx: { sideBySide: true } }, 1)).toEqual({ sideBySide: false, workers: false });
    expect(planSeats({ ...local, onnx: { sideBySide: true, threads: 3 } }, 8)).toEqual({ sideBySide: true, workers: true, threads: 3 });
    expect(planSeats({ ...local, onnx: { threads: 3 } }, 8)).toEqual({ sideBySide: false, workers: false, threads: 3 });
    expect(planSeats({ target: { url: 'http://127.0.0.1:1/v1' }, reference: { path: 'r' }, onnx: {} }, 2)).toEqual({ sideBySide: true, workers: false });
    expect(planSeats({ target: { url: 'http://127.0.0.1:1/v1' }, reference: { url: 'http://127.0.0.1:2/v1' }, onnx: { sideBySide: false } }, 1)).toEqual({ sideBySide: true, workers: false });
  });

  it('one call at a time per local model, in the order asked; two models run at once', async () => {
    const log: string[] = [];
    let open = 0;
    let most = 0;
    const fake = (name: string): ModelBackend => {
      const call = async (what: string): Promise<never[]> => {
        log.push(`${name} ${what} start`);
        open++;
        most = Math.max(most, open);
        await new Promise((r) => setTimeout(r, 5));
        open--;
        log.push(`${name} ${what} end`);
        return [];
      };
      return { capabilities: { parallelSamples: 1 }, score: () => call('score'), sample: () => call('sample') } as unknown as ModelBackend;
    };
    const t = oneAtATime(fake('t'));
    const r = oneAtATime(fake('r'));
    await Promise.all([t.score([], {}), t.score([], {}), r.sample({ ids: [], text: '' }, { n: 1, maxNewTokens: 1 })]);
    expect(log.filter((l) => l.startsWith('t'))).toEqual(['t score start', 't score end', 't score start', 't score end']);
    expect(most).toBe(2);
    expect(samplesInFlight({ sideBySide: true }, t, r)).toBe(2);
    expect(samplesInFlight({ sideBySide: false }, t, r)).toBe(1);
  });
});
