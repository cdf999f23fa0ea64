import { describe, expect, it } from 'vitest';
import { elapsed, eta, initialUiState, reduce, type UiState } from '../../src/ui/state.js';
import { allEvents, finalResults, result, runningEvents } from './fixture-events.js';

function replay(events: typeof allEvents, start = 1_000): UiState {
  return events.reduce((state, event, i) => reduce(state, event, start + i * 1000), initialUiState);
}

describe('reduce', () => {
  it('tracks every benchmark while the audit runs', () => {
    const state = replay(runningEvents);
    expect(state.done).toBe(false);
    expect(state.config?.target).toEqual({ path: 'acme/target-7b' });
    expect(
      state.benchmarks.map((b) => ({
        name: b.name,
        total: b.total,
        done: b.done,
        errors: b.errors,
        finished: b.finished,
        samples: b.samples.length,
        neighboursScored: b.neighboursScored,
        neighboursSaved: b.neighboursSaved,
        verdict: b.estimates[0]?.verdict,
      })),
    ).toEqual([
      { name: 'arc', total: 4, done: 4, errors: 0, finished: true, samples: 4, neighboursScored: 32, neighboursSaved: 8, verdict: 'clean' },
      { name: 'mmlu', total: 3, done: 2, errors: 1, finished: true, samples: 2, neighboursScored: 24, neighboursSaved: 6, verdict: 'suspicious' },
      { name: 'gsm8k', total: 3, done: 2, errors: 0, finished: false, samples: 2, neighboursScored: 16, neighboursSaved: 4, verdict: 'contaminated' },
    ]);
    // Finished benchmarks are rows of the frame, not log lines (they showed twice on a terminal).
    expect(state.log.map((entry) => entry.kind)).toEqual(['sample-error', 'warning']);
    expect(state.warnings).toBe(1);
  });

  it('keeps the sample records after the run, for the drill-down', () => {
    const state = replay(allEvents);
    expect(state.done).toBe(true);
    expect(state.results).toBe(finalResults);
    expect(state.benchmarks.map((b) => b.samples.map((s) => s.id))).toEqual([
      ['arc/test/0', 'arc/test/1', 'arc/test/2', 'arc/test/3'],
      ['mmlu/test/0', 'mmlu/test/1'],
      ['gsm8k/test/0', 'gsm8k/test/1', 'gsm8k/test/2'],
    ]);
  });

  it('records start and finish times from the injected clock', () => {
    const state = replay(allEvents, 0);
    const arc = state.benchmarks[0];
    expect({ startedAt: arc.startedAt, finishedAt: arc.finishedAt }).toEqual({ startedAt: 1000, finishedAt: 6000 });
    expect(elapsed(arc, 99_000)).toBe(5000);
  });

  it('creates a benchmark the plan did not announce and finishes results only given at the end', () => {
    let state = reduce(initialUiState, { type: 'benchmark-done', result: result('extra', 0.1, 'clean', 5) }, 10);
    expect(state.benchmarks[0]).toMatchObject({ name: 'extra', finished: true, total: 5, done: 5 });
    state = reduce(initialUiState, { type: 'done', results: finalResults }, 20);
    expect(state.benchmarks.map((b) => [b.name, b.finished])).toEqual([
      ['arc', true],
      ['mmlu', true],
      ['gsm8k', true],
    ]);
  });

  it('logs only the first few errors per benchmark but counts them all', () => {
    let state = initialUiState;
    for (let i = 0; i < 5; i++) state = reduce(state, { type: 'sample-error', benchmark: 'arc', sampleId: `s${i}`, message: 'x' }, 0);
    expect(state.benchmarks[0].errors).toBe(5);
    expect(state.log).toHaveLength(3);
  });
});

describe('eta', () => {
  it('projects the average pace so far', () => {
    expect(eta({ done: 2, total: 10, startedAt: 0, finished: false }, 4000)).toBe(16_000);
  });
  it('is unknown before the first sample and zero once finished', () => {
    expect(eta({ done: 0, total: 10, startedAt: 0, finished: false }, 4000)).toBeUndefined();
    expect(eta({ done: 3, total: 10, startedAt: 0, finished: true }, 4000)).toBe(0);
  });
});
