import { describe, expect, it } from 'vitest';
import { summaryLines } from '../../src/report/summary.js';
import { fixtureResults } from './fixture-results.js';

describe('summaryLines', () => {
  it('returns the plain end-of-run table with visible control characters', () => {
    expect(summaryLines(fixtureResults)).toEqual([
      'benchmark                         detector     contamination [95% CI]  control  target - control [95% CI]  verdict       upstream reading',
      'arc                               loss*        0.06 [0.00, 0.12]       0.09     −0.03 [−0.12, +0.06]       clean         clean',
      'arc                               min-k:k=0.2  0.08 [0.02, 0.14]       0.10     −0.02 [−0.11, +0.07]       clean         clean',
      'gsm8k                             loss*        0.92 [0.86, 0.98]       0.70     +0.22 [+0.13, +0.31]       CONTAMINATED  CONTAMINATED',
      'gsm8k                             min-k:k=0.2  0.61 [0.51, 0.71]       0.55     +0.06 [−0.03, +0.15]       suspicious    suspicious',
      'my|bench `x` <script>alert(1)</…  loss*        0.30 [0.20, 0.40]       0.12     +0.18 [+0.09, +0.27]       suspicious    clean',
      'my|bench `x` <script>alert(1)</…  min-k:k=0.2  0.33 [0.23, 0.43]       0.11     +0.22 [+0.13, +0.31]       suspicious    clean',
      '2 sample error(s), counted in the report.',
      "share of samples with neighbour rank s < 0.1; * = primary detector (the benchmark's verdict); control = reference model in the target's seat.",
      'verdict = target vs control (fixed mode): contaminated when significant and the interval clears +0.10, ' +
        'suspicious when significant but smaller; upstream reading = share above 0.50 / 0.85.',
      'arc: clean (loss): target − control -0.03',
      'gsm8k: CONTAMINATED (loss): target − control 0.22',
      'my|bench `x` <script>alert(1)</…: suspicious (loss): target − control 0.18',
    ]);
  });

  it('starts with a partial-run line and never passes an ESC through', () => {
    const lines = summaryLines({ ...fixtureResults, partial: true, benchmarks: [{ ...fixtureResults.benchmarks[2], name: 'x\u001b[2Jy' }] });
    expect(lines[0]).toBe('PARTIAL RUN: 100 of 100 planned samples scored; numbers cover only those.');
    expect(lines[2].startsWith('x␛[2Jy')).toBe(true);
    expect(lines.join('\n')).not.toContain('\u001b');
  });
});
