import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { BenchmarkRow } from '../../src/ui/BenchmarkRow.js';
import type { Verdict } from '../../src/audit/types.js';
import type { BenchmarkProgress } from '../../src/ui/state.js';
import { config, estimate } from './fixture-events.js';
import { stripSgr } from './ink-helpers.js';

afterEach(() => cleanup());

function progress(verdict: Verdict, contamination: number, overrides: Partial<BenchmarkProgress> = {}): BenchmarkProgress {
  return {
    name: 'gsm8k',
    total: 200,
    done: 120,
    cached: 0,
    neighboursScored: 8100,
    neighboursSaved: 3900,
    startedAt: 0,
    estimates: estimate(contamination, verdict, 0.12),
    errors: 0,
    finished: false,
    samples: [],
    ...overrides,
  };
}

function frameOf(benchmark: BenchmarkProgress): string {
  const { lastFrame } = render(
    <BenchmarkRow benchmark={benchmark} primary="loss" thresholds={config.thresholds} selected={false} now={60_000} columns={100} nameWidth={8} />,
  );
  return lastFrame() ?? '';
}

// The verdict word in its colour (Ink may put bold inside the colour).
const coloured = (code: number, word: string) => new RegExp(`\\u001b\\[${code}m(?:\\u001b\\[[0-9;]*m)*${word}`);

describe('BenchmarkRow', () => {
  it('shows name, progress, neighbours, elapsed and ETA, contamination with interval, control and verdict', () => {
    const lines = stripSgr(frameOf(progress('suspicious', 0.283))).split('\n');
    expect(lines[0]).toContain('gsm8k');
    expect(lines[0]).toContain('120/200');
    expect(lines[0]).toContain('nbrs 8.1k saved 3.9k');
    expect(lines[0]).toContain('1m00s eta 40s');
    expect(lines[1]).toContain('loss');
    expect(lines[1]).toContain('0.28 [0.18, 0.38]');
    expect(lines[1]).toContain('control 0.12  Δ +0.16');
    expect(lines[1]).toContain('SUSPICIOUS');
  });

  it('draws the progress bar to scale and marks both thresholds on the gauge', () => {
    const lines = stripSgr(frameOf(progress('clean', 0.05))).split('\n');
    const bar = lines[0].match(/[█░]+/)?.[0] ?? '';
    expect(bar.length).toBeGreaterThan(10);
    expect(bar.split('█').length - 1).toBe(Math.round((120 / 200) * bar.length));
    const gauge = lines[1].match(/[█▒░┆┃]+/)?.[0] ?? '';
    expect(gauge.length).toBe(bar.length);
    expect(gauge.indexOf('┆')).toBe(Math.ceil(0.2 * gauge.length) - 1);
    expect(gauge.indexOf('┃')).toBe(Math.ceil(0.5 * gauge.length) - 1);
  });

  it('in fixed mode marks the control plus each margin: where the target must reach for the relative verdict', () => {
    const { lastFrame } = render(
      <BenchmarkRow benchmark={progress('clean', 0.05)} primary="loss" thresholds={config.thresholds} margins={{ suspicious: 0.1, contaminated: 0.3 }} selected={false} now={60_000} columns={100} nameWidth={8} />,
    );
    const gauge = stripSgr(lastFrame() ?? '').split('\n')[1].match(/[█▒░┆┃]+/)?.[0] ?? '';
    // control 0.12 in the fixture: marks at 0.22 and 0.42.
    expect(gauge.indexOf('┆')).toBe(Math.ceil(0.22 * gauge.length) - 1);
    expect(gauge.indexOf('┃')).toBe(Math.ceil(0.42 * gauge.length) - 1);
  });

  it('colours the verdict green, yellow and red', () => {
    expect(frameOf(progress('clean', 0.05))).toMatch(coloured(32, 'CLEAN'));
    expect(frameOf(progress('suspicious', 0.3))).toMatch(coloured(33, 'SUSPICIOUS'));
    expect(frameOf(progress('contaminated', 0.7))).toMatch(coloured(31, 'CONTAMINATED'));
    expect(frameOf(progress('contaminated', 0.7))).toMatch(coloured(31, ' *0.70'));
  });

  it('says when a benchmark is queued, and when it is done', () => {
    expect(stripSgr(frameOf(progress('clean', 0, { startedAt: undefined, done: 0, estimates: [] })))).toMatch(/queued[\s\S]*no estimate yet/);
    expect(stripSgr(frameOf(progress('clean', 0.05, { done: 200, finished: true, finishedAt: 30_000 })))).toContain('30s done');
  });

  it('fits a narrow terminal by truncating, never wrapping', () => {
    const { lastFrame } = render(
      <BenchmarkRow benchmark={progress('clean', 0.05)} primary="loss" thresholds={config.thresholds} selected now={60_000} columns={50} nameWidth={8} />,
    );
    const lines = stripSgr(lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(2);
  });
});
