import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanProgress } from '../../../src/overlap/scan.js';
import { createPlainProgress } from '../../../src/ui/overlap/plain-progress.js';
import { progressReporter } from '../../../src/ui/overlap/progress-reporter.js';
import { createProgressFeed } from '../../../src/ui/overlap/progress-feed.js';
import { progressFigures, progressLine } from '../../../src/ui/overlap/progress-figures.js';
import { OverlapApp } from '../../../src/ui/overlap/OverlapApp.js';
import { OverlapProgress } from '../../../src/ui/overlap/OverlapProgress.js';
import { stripSgr, waitForText } from '../ink-helpers.js';

afterEach(() => cleanup());

const GB = 1e9;
/** 10 s in: 400 MB of a 1 GB corpus on disk read, 600 MB scanned (some of it gunzipped). */
const midway: ScanProgress = { bytesRead: 600e6, inputBytes: 400e6, records: 1_234_567, recordsWithMatches: 42, itemsMatched: 17, seconds: 10 };

describe('overlap progress figures', () => {
  it('rates the scanned bytes and times the ETA by the bytes on disk', () => {
    expect(progressFigures(midway, GB)).toEqual({
      fraction: 0.4,
      scannedMb: 600,
      totalMb: 1000,
      records: 1_234_567,
      recordsWithMatches: 42,
      itemsMatched: 17,
      mbPerSecond: 60,
      etaSeconds: 15,
      seconds: 10,
    });
    expect(progressLine(progressFigures(midway, GB))).toBe('overlap: 600.0 MB scanned, 40% of 1000.0 MB on disk · 1.2M records · 42 with matches · 17 items matched · 60.0 MB/s · 10s, eta 15s');
  });

  it('has no ETA before anything was read, and none once done', () => {
    expect(progressFigures({ bytesRead: 0, records: 0, recordsWithMatches: 0, seconds: 0 }, GB).etaSeconds).toBeUndefined();
    expect(progressLine(progressFigures({ ...midway, inputBytes: GB, seconds: 20 }, GB))).toMatch(/100% of .* · 20s$/);
  });
});

describe('plain overlap progress', () => {
  it('writes a line at each 10% of the corpus and at least every 30 s, never more', () => {
    const lines: string[] = [];
    const log = createPlainProgress((l) => lines.push(l), 1000);
    const at = (inputBytes: number, seconds: number) => log({ bytesRead: inputBytes, inputBytes, records: inputBytes, recordsWithMatches: 0, seconds });
    at(50, 1);
    at(99, 2);
    at(100, 3);
    at(150, 4);
    at(160, 40);
    at(1000, 41);
    expect(lines.map((l) => l.split(' · ')[0])).toEqual([
      'overlap: 0.0 MB scanned, 10% of 0.0 MB on disk',
      'overlap: 0.0 MB scanned, 16% of 0.0 MB on disk',
      'overlap: 0.0 MB scanned, 100% of 0.0 MB on disk',
    ]);
  });
});

describe('OverlapProgress (Ink)', () => {
  it('shows the header, a bar over the corpus on disk and the running figures', () => {
    const { lastFrame } = render(<OverlapProgress header="2 items, 5 distinct 13-grams" figures={progressFigures(midway, GB)} done={false} barWidth={10} />);
    expect(stripSgr(lastFrame() ?? '').split('\n')).toEqual([
      'contam overlap  2 items, 5 distinct 13-grams',
      '› ████░░░░░░ 40%  600.0 MB scanned of 1000.0 MB on disk',
      '1.2M records · 42 with matches · 17 items matched · 60.0 MB/s · 10s, eta 15s',
    ]);
  });

  it('follows the feed and marks the end with a full bar and no ETA', async () => {
    const feed = createProgressFeed();
    const { lastFrame } = render(<OverlapApp feed={feed} header="h" totalBytes={GB} />);
    await waitForText(lastFrame, 'starting');
    feed.push(midway);
    await waitForText(lastFrame, 'eta 15s');
    feed.push({ ...midway, inputBytes: GB, bytesRead: GB, seconds: 16 });
    feed.finish();
    const frame = stripSgr(await waitForText(lastFrame, '✓'));
    expect(frame).toContain('✓ ██████████████████████████████ 100%  1000.0 MB scanned of 1000.0 MB on disk');
    expect(frame).not.toContain('eta');
  });
});

describe('progressReporter', () => {
  it('shows nothing live with --json, and plain lines (header first) when not interactive', async () => {
    const quiet: string[] = [];
    const json = await progressReporter({ json: true, interactive: false, write: (l) => quiet.push(l), header: 'h', totalBytes: GB });
    expect(json.onProgress).toBeUndefined();
    await json.close();
    expect(quiet).toEqual([]);
    const lines: string[] = [];
    const plain = await progressReporter({ json: false, interactive: false, write: (l) => lines.push(l), header: '2 items', totalBytes: GB });
    plain.onProgress?.({ ...midway, inputBytes: GB, seconds: 20 });
    await plain.close();
    expect(lines).toEqual(['overlap: 2 items', 'overlap: 600.0 MB scanned, 100% of 1000.0 MB on disk · 1.2M records · 42 with matches · 17 items matched · 30.0 MB/s · 20s']);
  });
});
