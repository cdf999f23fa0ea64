import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/audit/types.js';
import { createPlainLogger } from '../../src/ui/plain-logger.js';
import { allEvents, estimate, makeSample } from './fixture-events.js';

function run(events: readonly AuditEvent[], every?: number): string[] {
  let t = 0;
  const lines: string[] = [];
  const log = createPlainLogger((line) => lines.push(line), { clock: () => (t += 1000), every });
  for (const event of events) log(event);
  return lines;
}

describe('createPlainLogger', () => {
  it('prints start, milestones, errors, warnings, results and the end, all sanitized', () => {
    expect(run(allEvents)).toEqual([
      'contam: target acme/target-7b, reference acme/reference-7b, mode fixed, seed 42, detectors loss, min-k:k=0.2; 3 benchmarks, 10 samples',
      '[arc] started: 4 samples',
      '[arc] 1/4 samples (25%) · neighbours 8 scored, 2 saved · loss 0.10 [0.00, 0.20] control 0.10 (±0.00 [−0.10, +0.10]) clean · 1s, eta 3s',
      '[arc] 2/4 samples (50%) · neighbours 16 scored, 4 saved · loss 0.11 [0.01, 0.21] control 0.10 (+0.01 [−0.09, +0.11]) clean · 2s, eta 2s',
      '[arc] 3/4 samples (75%) · neighbours 24 scored, 6 saved · loss 0.12 [0.02, 0.22] control 0.10 (+0.02 [−0.08, +0.12]) clean · 3s, eta 1s',
      '[arc] 4/4 samples (100%) · neighbours 32 scored, 8 saved · loss 0.13 [0.03, 0.23] control 0.10 (+0.03 [−0.07, +0.13]) clean · 4s',
      '[arc] done: 4/4 samples scored, 0 errors · loss 0.08 [0.00, 0.18] control 0.10 (−0.02 [−0.12, +0.08]) clean · 4s',
      '[mmlu] started: 3 samples',
      '[mmlu] 1/3 samples (33%) · neighbours 8 scored, 2 saved · loss 0.30 [0.20, 0.40] control 0.10 (+0.20 [+0.10, +0.30]) suspicious · 1s, eta 2s',
      '[mmlu] 2/3 samples (66%) · neighbours 16 scored, 4 saved · loss 0.30 [0.20, 0.40] control 0.10 (+0.20 [+0.10, +0.30]) suspicious · 2s, eta 1s',
      '[mmlu] error on mmlu/test/2: context too long␛[2J',
      '[mmlu] done: 2/3 samples scored, 1 error · loss 0.33 [0.23, 0.43] control 0.10 (+0.23 [+0.13, +0.33]) suspicious · 4s',
      'warning: tokenizer has no pad token␛]0;title␇',
      '[gsm8k] started: 3 samples',
      '[gsm8k] 1/3 samples (33%) · neighbours 8 scored, 2 saved · loss 0.65 [0.55, 0.75] control 0.10 (+0.55 [+0.45, +0.65]) contaminated · 1s, eta 2s',
      '[gsm8k] 2/3 samples (66%) · neighbours 16 scored, 4 saved · loss 0.65 [0.55, 0.75] control 0.10 (+0.55 [+0.45, +0.65]) contaminated · 2s, eta 1s',
      '[gsm8k] 3/3 samples (100%) · neighbours 24 scored, 6 saved · loss 0.67 [0.57, 0.77] control 0.10 (+0.57 [+0.47, +0.67]) contaminated · 3s',
      '[gsm8k] done: 3/3 samples scored, 0 errors · loss 0.67 [0.57, 0.77] control 0.10 (+0.57 [+0.47, +0.67]) contaminated · 4s',
      'audit finished in 12s: 3 benchmarks',
    ]);
  });

  it('prints a large benchmark at its 10% milestones only, or every N samples', () => {
    const events: AuditEvent[] = [{ type: 'benchmark-start', benchmark: 'big', total: 100 }];
    for (let done = 1; done <= 100; done++) {
      events.push({
        type: 'sample-done',
        benchmark: 'big',
        sample: makeSample('big', done, 0.5, -1),
        done,
        total: 100,
        cached: false,
        estimates: estimate(0.1, 'clean'),
        neighboursScored: 0,
        neighboursSaved: 0,
      });
    }
    const progress = (lines: string[]) => lines.filter((l) => l.includes('/100 samples (')).map((l) => l.split(' samples')[0]);
    expect(progress(run(events))).toEqual(['[big] 10/100', '[big] 20/100', '[big] 30/100', '[big] 40/100', '[big] 50/100', '[big] 60/100', '[big] 70/100', '[big] 80/100', '[big] 90/100', '[big] 100/100']);
    expect(progress(run(events, 25))).toEqual(['[big] 25/100', '[big] 50/100', '[big] 75/100', '[big] 100/100']);
  });

  it('prints the first errors of a benchmark, then says the rest are only counted', () => {
    const events: AuditEvent[] = Array.from({ length: 5 }, (_, i) => ({ type: 'sample-error', benchmark: 'arc', sampleId: `arc/${i}`, message: 'boom\r\n' }));
    expect(run(events)).toEqual([
      '[arc] error on arc/0: boom␍↵',
      '[arc] error on arc/1: boom␍↵',
      '[arc] error on arc/2: boom␍↵',
      '[arc] further sample errors are counted, not printed',
    ]);
  });
});
