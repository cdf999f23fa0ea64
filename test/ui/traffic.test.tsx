/** An engine's load in the dashboard's header and in the plain log: requests in flight, tokens/s, retries. */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { Traffic } from '../../src/models/backend.js';
import { Header } from '../../src/ui/Header.js';
import { createPlainLogger } from '../../src/ui/plain-logger.js';
import { reduce, initialUiState } from '../../src/ui/state.js';
import { config, models, result } from './fixture-events.js';
import { stripSgr } from './ink-helpers.js';

afterEach(() => cleanup());

const traffic = (over: Partial<Traffic> = {}): Traffic => ({
  inFlight: 3,
  requests: 120,
  retries: 2,
  retryCauses: { '429': 1, reset: 1 },
  scoredTokens: 9000,
  sampledTokens: 1000,
  bytesReceived: 1_000_000,
  clientMs: 50,
  ...over,
});

describe('engine traffic', () => {
  it('the header shows each served model: requests in flight, tokens/s since the start, retries', () => {
    const state = reduce(reduce(initialUiState, { type: 'start', config, models, plan: [] }, 0), { type: 'traffic', target: traffic(), reference: traffic({ inFlight: 1, retries: 1 }) }, 10_000);
    const { lastFrame } = render(<Header config={state.config} primary="loss" traffic={state.traffic} startedAt={state.startedAt} />);
    const frame = stripSgr(lastFrame() ?? '');
    expect(frame).toContain('target 3 in flight · 1,000 tok/s · 2 retries   reference 1 in flight · 1,000 tok/s · 1 retry');
  });

  it('local models add no traffic line', () => {
    const state = reduce(initialUiState, { type: 'start', config, models, plan: [] }, 0);
    const { lastFrame } = render(<Header config={state.config} primary="loss" traffic={state.traffic} startedAt={state.startedAt} />);
    expect(stripSgr(lastFrame() ?? '')).not.toContain('in flight');
  });

  it('the plain log prints each engine\'s requests and retries by cause when a benchmark finishes', () => {
    const lines: string[] = [];
    const log = createPlainLogger((l) => lines.push(l), { clock: () => 0 });
    log({ type: 'start', config, models, plan: [{ benchmark: 'arc', total: 4 }] });
    log({ type: 'traffic', target: traffic() });
    log({ type: 'benchmark-done', result: result('arc', 0.08, 'clean', 4) });
    expect(lines).toContain('[arc] target engine: 120 requests, 2 retries (429 x1, reset x1), 9000 tokens scored, 1000 sampled');
  });
});
