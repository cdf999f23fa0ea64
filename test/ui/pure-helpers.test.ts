import { describe, expect, it } from 'vitest';
import { contaminationGauge, progressBar } from '../../src/ui/bars.js';
import { createEventQueue } from '../../src/ui/event-queue.js';
import { formatCount, formatDuration, truncate } from '../../src/ui/format.js';
import { initialNav, navigate, type NavContext } from '../../src/ui/nav.js';
import { primaryDetector, sortBySuspicion } from '../../src/ui/sample-order.js';
import { highlightSegments, wrapSegments } from '../../src/ui/sample-text.js';
import { ESC, allEvents, config, makeSample } from './fixture-events.js';

describe('sortBySuspicion', () => {
  it('orders by rank s ascending, then score descending, then id', () => {
    const samples = [makeSample('b', 0, 0.5, -1), makeSample('b', 1, 0.0, -3), makeSample('b', 2, 0.0, -2), makeSample('b', 3, 0.0, -2)];
    expect(sortBySuspicion(samples, 'loss').map((s) => s.id)).toEqual(['b/test/2', 'b/test/3', 'b/test/1', 'b/test/0']);
  });
  it('puts samples without the detector last', () => {
    const missing = { ...makeSample('b', 9, 0, 0), ranks: {}, scores: {} };
    expect(sortBySuspicion([missing, makeSample('b', 1, 0.9, -5)], 'loss').map((s) => s.id)).toEqual(['b/test/1', 'b/test/9']);
  });
  it('ranks by the first configured detector', () => {
    expect(primaryDetector(config)).toBe('loss');
    expect(primaryDetector(undefined)).toBeUndefined();
  });
});

describe('bars', () => {
  it('fills the progress bar to scale', () => {
    expect(progressBar(1, 4, 8)).toEqual([
      { role: 'fill', text: '██' },
      { role: 'empty', text: '░░░░░░' },
    ]);
  });
  it('draws estimate, interval and both thresholds on a 0-100% gauge', () => {
    const cells = contaminationGauge({ contamination: 0.3, interval: { low: 0.2, high: 0.5 } }, { suspicious: 0.2, contaminated: 0.5 }, 10);
    expect(cells.map((s) => s.text).join('')).toBe('█┆█▒┃░░░░░');
  });
});

describe('sample text', () => {
  it('marks the low tokens by position and sanitizes every piece', () => {
    const sample = { ...makeSample('b', 0, 0, 0), tokens: [{ text: 'a', logprob: null }, { text: ` ${ESC}[2J`, logprob: -9 }, { text: ' c', logprob: -1 }], lowestTokens: [{ text: ` ${ESC}[2J`, position: 1, logprob: -9 }] };
    expect(highlightSegments(sample)).toEqual([
      { text: 'a', low: false },
      { text: ' ␛[2J', low: true },
      { text: ' c', low: false },
    ]);
  });
  it('finds the low tokens in the text when there are no per-token texts', () => {
    const sample = { ...makeSample('b', 0, 0, 0), text: 'one two three two', tokens: [], lowestTokens: [{ text: 'two', position: 5, logprob: -9 }] };
    expect(highlightSegments(sample)).toEqual([
      { text: 'one ', low: false },
      { text: 'two', low: true },
      { text: ' three two', low: false },
    ]);
  });
  it('wraps on spaces, keeps hard breaks and splits words longer than a line', () => {
    const lines = wrapSegments([{ text: 'aaa bbb ', low: false }, { text: 'ccc', low: true }, { text: '\ndddddddddd', low: false }], 7);
    expect(lines).toEqual([
      [{ text: 'aaa bbb', low: false }],
      [{ text: 'ccc', low: true }],
      [{ text: 'ddddddd', low: false }],
      [{ text: 'ddd', low: false }],
    ]);
  });
});

describe('navigate', () => {
  const context: NavContext = { benchmarks: 3, sampleIds: ['x', 'y', 'z'], page: 2, maxTextScroll: 4 };
  it('walks table -> samples -> sample and back', () => {
    let nav = navigate(initialNav, 'down', context);
    expect(nav.benchmark).toBe(1);
    nav = navigate(nav, 'enter', context);
    expect(nav).toEqual({ view: 'samples', benchmark: 1, sampleId: undefined, textScroll: 0 });
    nav = navigate(navigate(nav, 'page-down', context), 'enter', context);
    expect(nav).toEqual({ view: 'sample', benchmark: 1, sampleId: 'z', textScroll: 0 });
    nav = navigate(navigate(navigate(nav, 'end', context), 'down', context), 'back', context);
    expect(nav).toEqual({ view: 'samples', benchmark: 1, sampleId: 'z', textScroll: 4 });
    expect(navigate(nav, 'back', context).view).toBe('table');
  });
  it('does not open an empty sample list item', () => {
    const nav = navigate({ ...initialNav, view: 'samples' }, 'enter', { ...context, sampleIds: [] });
    expect(nav.view).toBe('samples');
  });
});

describe('createEventQueue', () => {
  it('keeps events pushed before iteration and ends on close', async () => {
    const queue = createEventQueue();
    for (const event of allEvents.slice(0, 3)) queue.push(event);
    setTimeout(() => {
      queue.push(allEvents[3]);
      queue.close();
      queue.push(allEvents[4]);
    }, 5);
    const seen = [];
    for await (const event of queue) seen.push(event);
    expect(seen).toEqual(allEvents.slice(0, 4));
  });
});

describe('format', () => {
  it('formats counts, durations and truncation', () => {
    expect([formatCount(999), formatCount(8100), formatCount(25_000), formatCount(2_500_000)]).toEqual(['999', '8.1k', '25k', '2.5M']);
    expect([formatDuration(850), formatDuration(42_000), formatDuration(185_000), formatDuration(3_720_000)]).toEqual(['850ms', '42s', '3m05s', '1h02m']);
    expect(truncate('abcdef', 4)).toBe('abc…');
  });
});

describe('verdict style', () => {
  it('gives every verdict its colour, unknown in grey', async () => {
    const { verdictColor } = await import('../../src/ui/verdict-style.js');
    expect((['clean', 'suspicious', 'contaminated', 'unknown'] as const).map(verdictColor)).toEqual(['green', 'yellow', 'red', 'gray']);
  });
  it('marks a rank that early stopping left as a lower bound', async () => {
    const { formatRank } = await import('../../src/ui/format.js');
    expect([formatRank(0.05), formatRank(0.3, false), formatRank(undefined)]).toEqual(['0.050', '≥0.300', '–']);
  });
});
