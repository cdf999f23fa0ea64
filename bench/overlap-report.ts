/**
 * The overlap bench in the results: its goal rows and its Markdown section (pure), and the patch
 * `npm run bench -- --only overlap` applies to an existing results.json and results.md so that
 * only the overlap rows and section change.
 */
import type { GoalResult, HookResult } from './report.js';

const GOAL_PREFIX = 'overlap scan';

interface Measured {
  readonly corpus: { bytes: number; records: number; quarterBytes: number; planted: number; expected: number; source: string };
  readonly loadAverage: { atStart: number; atEnd: number };
  readonly index: { items: number; ngrams: number; buildMs: number };
  readonly readMbPerSecond: number;
  readonly contam: Run & { workers: number; scanSeconds: number; wallSeconds: number };
  readonly contamQuarter: Run;
  readonly contamQuarterOneThread: Run;
  readonly perCoreMbPerSecond: number;
  readonly python: { mbPerSecond: number; seconds: number; cpuSeconds: number; mbPerCpuSecond: number; found: number };
  readonly contamFindsPlanted: boolean;
  readonly pythonAgrees: boolean;
  readonly quarterFindsPlanted: boolean;
  readonly ratios: { contamOverRead: number; contamOverPython: number; contamOverPythonPerCpuSecond: number; workersOverOneThread: number; peakFullOverQuarter: number };
}

interface Run {
  readonly mbPerSecond: number;
  readonly peakRssBytes: number;
  readonly cpuSeconds: number;
  readonly mbPerCpuSecond: number;
}

const gb = (b: number) => `${(b / 1e9).toFixed(2)} GB`;
const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
const rate = (x: number) => `${x.toFixed(1)} MB/s`;

export function overlapGoals(h: HookResult): GoalResult[] {
  if (h.status !== 'measured') {
    return [{ goal: `${GOAL_PREFIX}: items found and peak memory flat in corpus size`, target: 'exact; flat', measured: String(h.reason ?? 'pending'), status: 'pending' }];
  }
  const m = h as unknown as Measured;
  const flat = m.ratios.peakFullOverQuarter <= 1.1;
  const exact = m.contamFindsPlanted && m.pythonAgrees && m.quarterFindsPlanted;
  return [
    {
      goal: `${GOAL_PREFIX} (issue 18): exactly the planted items (${m.corpus.planted}, and ${m.corpus.expected - m.corpus.planted} sharing an n-gram with one), as the Python 13-gram scan finds; peak memory flat from ${gb(m.corpus.quarterBytes)} to ${gb(m.corpus.bytes)}`,
      target: 'same items; peak ratio <= 1.10',
      measured: `${m.contamFindsPlanted ? 'planted items exactly' : 'NOT the planted items'}, Python ${m.pythonAgrees ? 'agrees' : 'DISAGREES'}; peak ${mb(m.contam.peakRssBytes)} vs ${mb(m.contamQuarter.peakRssBytes)} (${m.ratios.peakFullOverQuarter.toFixed(2)}x)`,
      status: exact && flat ? 'met' : 'not met',
    },
    {
      goal: `${GOAL_PREFIX} throughput at the machine's read rate (issue 18: "as fast as the machine reads, on every core")`,
      target: `>= ${rate(m.readMbPerSecond)} (cat)`,
      measured:
        `${rate(m.contam.mbPerSecond)} on ${m.contam.workers} workers (${rate(m.perCoreMbPerSecond)} per core; ${m.contam.mbPerCpuSecond.toFixed(1)} MB per CPU-second), ${m.ratios.contamOverRead.toFixed(3)}x cat, ` +
        `${m.ratios.contamOverPython.toFixed(2)}x Python (${rate(m.python.mbPerSecond)}; ${m.ratios.contamOverPythonPerCpuSecond.toFixed(2)}x per CPU-second); load average ${m.loadAverage.atStart.toFixed(1)} on ${m.contam.workers} cores`,
      status: m.ratios.contamOverRead >= 1 ? 'met' : 'not met',
    },
  ];
}

export function overlapSection(h: HookResult): string[] {
  const lines = ['## Overlap scan (issue 18, Must show 3)', ''];
  if (h.status !== 'measured') return [...lines, `pending: ${h.reason ?? ''}`, ''];
  const m = h as unknown as Measured;
  lines.push(
    `Corpus: ${gb(m.corpus.bytes)} JSONL, ${m.corpus.records.toLocaleString('en-US')} records (${m.corpus.source}); index ${m.index.items.toLocaleString('en-US')} items, ${m.index.ngrams.toLocaleString('en-US')} distinct 13-grams, built in ${m.index.buildMs.toFixed(0)} ms (each worker builds its own copy). One run of each, files in the page cache; load average ${m.loadAverage.atStart.toFixed(1)} at the start and ${m.loadAverage.atEnd.toFixed(1)} at the end on this shared machine, so rates are below an idle machine's.`,
    '',
    '| measurement | MB/s (wall) | MB per CPU-second | time | peak RSS | items found |',
    '|---|---:|---:|---:|---:|---|',
    `| \`cat corpus.jsonl > /dev/null\` | ${m.readMbPerSecond.toFixed(0)} | – | ${(m.corpus.bytes / 1e6 / m.readMbPerSecond).toFixed(2)} s | – | – |`,
    `| contam overlap, ${m.contam.workers} workers (${gb(m.corpus.bytes)}) | ${m.contam.mbPerSecond.toFixed(1)} (${m.perCoreMbPerSecond.toFixed(1)} per core) | ${m.contam.mbPerCpuSecond.toFixed(1)} | ${m.contam.scanSeconds.toFixed(1)} s scan, ${m.contam.wallSeconds.toFixed(1)} s wall, ${m.contam.cpuSeconds.toFixed(1)} s CPU | ${mb(m.contam.peakRssBytes)} | ${m.contamFindsPlanted ? `the ${m.corpus.expected} expected (${m.corpus.planted} planted), nothing else` : 'differs from the planted set'} |`,
    `| contam overlap, ${m.contam.workers} workers (first quarter, ${gb(m.corpus.quarterBytes)}) | ${m.contamQuarter.mbPerSecond.toFixed(1)} | ${m.contamQuarter.mbPerCpuSecond.toFixed(1)} | ${m.contamQuarter.cpuSeconds.toFixed(1)} s CPU | ${mb(m.contamQuarter.peakRssBytes)} | ${m.quarterFindsPlanted ? 'the expected ones in it' : 'differs'} |`,
    `| contam overlap, --workers 1 (first quarter) | ${m.contamQuarterOneThread.mbPerSecond.toFixed(1)} | ${m.contamQuarterOneThread.mbPerCpuSecond.toFixed(1)} | ${m.contamQuarterOneThread.cpuSeconds.toFixed(1)} s CPU | ${mb(m.contamQuarterOneThread.peakRssBytes)} | same |`,
    `| Python 13-gram scan (bench/overlap-scan.py) | ${m.python.mbPerSecond.toFixed(1)} | ${m.python.mbPerCpuSecond.toFixed(1)} | ${m.python.seconds.toFixed(1)} s, ${m.python.cpuSeconds.toFixed(1)} s CPU | – | ${m.python.found}${m.pythonAgrees ? ', the same as contam' : ', NOT the same as contam'} |`,
    '',
    `Ratios (same run): contam / cat ${m.ratios.contamOverRead.toFixed(3)}, contam / Python ${m.ratios.contamOverPython.toFixed(2)} (per CPU-second ${m.ratios.contamOverPythonPerCpuSecond.toFixed(2)}), ${m.contam.workers} workers / 1 thread ${m.ratios.workersOverOneThread.toFixed(2)}, peak RSS full / quarter ${m.ratios.peakFullOverQuarter.toFixed(2)}. ` +
      'contam\'s CPU time is the whole process (start-up and one index per worker included); MB/s is the corpus over the scan\'s own seconds.',
    '',
  );
  return lines;
}
