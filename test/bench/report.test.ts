import { describe, expect, it } from 'vitest';
import { markdownReport, median, spread, type BenchResults } from '../../bench/report.js';

const results: BenchResults = {
  schemaVersion: 1,
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1000,
  quick: true,
  machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 8, node: '20.0.0', platform: 'linux-x64', onnxruntimeNode: '1.30.0', transformersJs: '4.3.2' },
  method: 'interleaved rounds',
  texts: { source: 'generated', count: 2, tokens: 100 },
  sampling: { prefixTokens: 25, n: 100, maxNewTokens: 40, topK: 50, temperature: 1 },
  models: [
    {
      name: 'm',
      dims: { layers: 1, width: 8, heads: 2, vocab: 10, context: 16 },
      nonEmbeddingParams: 1000,
      fileBytes: 2e6,
      tokenizer: 'fixture-words',
      loadMs: { contam: 10, transformersJs: 20 },
      ceiling: { threads: 2, gflops: { median: 300, min: 200, max: 340 }, probes: [300] },
      configs: [
        {
          name: 'contam a|b',
          workload: 'scoring',
          runtime: 'contam',
          lever: 'x',
          runs: [],
          tokPerSec: { median: 1234, min: 1000, max: 1500 },
          gflops: { median: 200, min: 150, max: 250 },
          fraction: { median: 0.66, min: 0.5, max: 0.8 },
          inSession: 0.95,
        },
      ],
      ratios: [{ name: 'scoring ratio', median: 2.5, min: 2, max: 3 }],
    },
  ],
  earlyStopping: { status: 'pending', reason: 'no engine' },
  peakMemory: { status: 'pending' },
  remote: { status: 'pending' },
  goals: [{ goal: 'scoring >= 0.6', target: '>= 0.60', measured: '0.66', status: 'met' }],
  notes: ['a note'],
};

describe('markdownReport', () => {
  it('prints the goals, the per-model table and the ratios', () => {
    const md = markdownReport(results);
    expect(md).toContain('| scoring >= 0.6 | >= 0.60 | 0.66 | met |');
    expect(md).toContain('| scoring | contam a\\|b | 1,234 [1,000–1,500] | 200 | 0.66 [0.50–0.80] | 95% |');
    expect(md).toContain('| scoring ratio | **2.50×** | 2.00 | 3.00 |');
    expect(md).toContain('Early stopping: pending (no engine)');
    expect(md).toContain('- a note');
  });

  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
  });
});
