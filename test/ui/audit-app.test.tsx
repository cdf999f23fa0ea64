import { EventEmitter } from 'node:events';
import { render as inkRender } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '../../src/audit/types.js';
import { AuditApp } from '../../src/ui/AuditApp.js';
import { createEventQueue } from '../../src/ui/event-queue.js';
import { ESC, allEvents, finishingEvents, runningEvents } from './fixture-events.js';
import { KEYS, stripSgr, waitForFrame, waitForText } from './ink-helpers.js';

afterEach(() => cleanup());

const clock = () => 100_000;

function queueOf(events: readonly AuditEvent[]) {
  const queue = createEventQueue();
  for (const event of events) queue.push(event);
  return queue;
}

function start(events: readonly AuditEvent[], props: { onExit?: () => void; onCancel?: (n: number) => void } = {}) {
  const queue = queueOf(events);
  const app = render(<AuditApp events={queue} clock={clock} tickMs={0} {...props} />);
  return { ...app, queue };
}

/** The live frame only: the <Static> log printed above it is dropped. */
function live(frame: string): string {
  const text = stripSgr(frame);
  const at = text.lastIndexOf('contam  target');
  return at === -1 ? text : text.slice(at);
}

const selectedRow = (frame: string) => live(frame).split('\n').find((line) => line.startsWith('❯ '));

describe('AuditApp dashboard', () => {
  it('renders the header, one row per benchmark, the summary and the footer', async () => {
    const { lastFrame } = start(runningEvents);
    const frame = live(await waitForText(lastFrame, 'gsm8k'));
    expect(frame).toContain('target acme/target-7b  reference acme/reference-7b  mode fixed  seed 42');
    expect(frame).toContain('detectors loss*, min-k:k=0.2');
    expect(frame).toMatch(/✓ arc .* 4\/4/);
    expect(frame).toMatch(/✓ mmlu .* 2\/3/);
    expect(frame).toMatch(/› gsm8k .* 2\/3/);
    expect(frame).toContain('benchmarks 2/3  samples 8/10  errors 1  warnings 1');
    expect(frame).toContain('ctrl-c cancel');
  });

  it('prints warnings and errors once into the static log, sanitized; a finished benchmark is only its row', async () => {
    const { lastFrame } = start(runningEvents);
    const frame = stripSgr(await waitForText(lastFrame, 'gsm8k'));
    const log = frame.slice(0, frame.indexOf('contam  target'));
    expect(log.split('\n').filter(Boolean)).toEqual(['error: mmlu mmlu/test/2: context too long␛[2J', 'warning: tokenizer has no pad token␛]0;title␇']);
    // Static log and live frame together: each finished benchmark once, with its result on its row.
    expect(frame.match(/✓ arc/g)).toHaveLength(1);
    expect(frame.match(/✓ mmlu/g)).toHaveLength(1);
    expect(live(frame)).toMatch(/loss .* 0\.08 \[0\.00, 0\.18\] +control 0\.10  Δ −0\.02 +CLEAN/);
  });

  it('moves the selection with arrows and j/k, within bounds', async () => {
    const { lastFrame, stdin } = start(runningEvents);
    await waitForText(lastFrame, 'gsm8k');
    expect(selectedRow(lastFrame() ?? '')).toContain('arc');
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => selectedRow(f)?.includes('mmlu') === true);
    stdin.write(KEYS.down);
    await waitForFrame(lastFrame, (f) => selectedRow(f)?.includes('gsm8k') === true);
    stdin.write('j');
    stdin.write('k');
    await waitForFrame(lastFrame, (f) => selectedRow(f)?.includes('mmlu') === true);
    stdin.write(KEYS.up);
    await waitForFrame(lastFrame, (f) => selectedRow(f)?.includes('arc') === true);
    stdin.write(KEYS.up);
    await new Promise((resolve) => setImmediate(resolve));
    expect(selectedRow(lastFrame() ?? '')).toContain('arc');
  });

  it('handles keys that arrive in one chunk (fast typing, tmux send-keys)', async () => {
    const { lastFrame, stdin } = start(runningEvents);
    await waitForText(lastFrame, 'gsm8k');
    stdin.write('jj\r');
    await waitForText(lastFrame, 'gsm8k · 2 samples by suspicion');
  });

  it('opens the samples list sorted by suspicion, the sample view, and goes back with Esc', async () => {
    const { lastFrame, stdin } = start(runningEvents);
    await waitForText(lastFrame, 'gsm8k');
    stdin.write(KEYS.enter);
    const list = live(await waitForText(lastFrame, 'samples by suspicion'));
    const ids = list.match(/arc\/test\/\d/g);
    // s ascending: rows 1 and 3 tie at 0.05, row 3 has the higher loss score (-1.2 > -1.5).
    expect(ids).toEqual(['arc/test/3', 'arc/test/1', 'arc/test/2', 'arc/test/0']);
    expect(list).toMatch(/❯ 1 +arc\/test\/3 +0\.050 +-1\.200 +0\.500/);

    stdin.write('j');
    await waitForFrame(lastFrame, (f) => /❯ 2 +arc\/test\/1/.test(live(f)));
    stdin.write(KEYS.enter);
    const view = await waitForText(lastFrame, 'lowest-probability tokens highlighted');
    expect(live(view)).toContain('arc/test/1  row 1');
    expect(live(view)).toMatch(/loss\* +-1\.500 +0\.050 +yes +-2\.500 +0\.500 +no/);
    expect(live(view)).toMatch(/min-k:k=0\.2 +-3\.000 +0\.025 +yes/);
    expect(live(view)).toContain('neighbours (2 of 8 scored) · loss score');
    expect(live(view)).toMatch(/-2\.000 +arc neighbour one of 1/);

    stdin.write(KEYS.escape);
    await waitForText(lastFrame, 'samples by suspicion');
    stdin.write(KEYS.escape);
    await waitForFrame(lastFrame, (f) => live(f).includes('benchmarks 2/3'));
  });

  it('highlights the lowest-probability tokens in inverse red', async () => {
    const { lastFrame, stdin } = start(runningEvents);
    await waitForText(lastFrame, 'gsm8k');
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => selectedRow(f)?.includes('mmlu') === true);
    stdin.write(KEYS.enter);
    await waitForText(lastFrame, 'samples by suspicion');
    stdin.write(KEYS.enter);
    const view = await waitForText(lastFrame, 'lowest-probability tokens highlighted');
    // mmlu/test/1 is most suspicious (s = 0); its low token is the word "question".
    expect(stripSgr(view)).toContain('mmlu question 1 about the answer');
    expect(view).toMatch(/\u001b\[(?:7|31)m(?:\u001b\[[0-9;]*m)* question/);
    expect(view).toMatch(/\u001b\[7m/);
  });

  it('shows hostile dataset text as harmless visible text in the list and the sample view', async () => {
    const { lastFrame, stdin } = start(runningEvents);
    await waitForText(lastFrame, 'gsm8k');
    stdin.write(KEYS.enter);
    const list = await waitForText(lastFrame, 'samples by suspicion');
    stdin.write('j');
    await waitForFrame(lastFrame, (f) => /❯ 2 +arc\/test\/1/.test(live(f)));
    stdin.write(KEYS.enter);
    const view = await waitForText(lastFrame, 'lowest-probability tokens highlighted');
    for (const frame of [list, view]) {
      const withoutInkStyles = stripSgr(frame);
      expect(withoutInkStyles).not.toContain(ESC);
      expect(withoutInkStyles).not.toMatch(/[\u0007\u0008\r]/);
    }
    expect(stripSgr(list)).toContain('Q: ␛[31mred␛[0m ␛[2J␛]8;;https://evil.exam…');
    const text = stripSgr(view);
    expect(text).toContain('␛[31mred␛[0m');
    expect(text).toContain('␛]8;;https://evil.example␛\\link␛]8;;␛\\');
    expect(text).toContain('␛]0;owned␇');
    expect(text).toContain('bell␇');
    expect(text).toContain('back␈space');
    expect(text).toContain('car␍riage');
  });
});

describe('AuditApp keys for leaving', () => {
  it('calls onExit on q only once the audit is done', async () => {
    const onExit = vi.fn();
    const { lastFrame, stdin, queue } = start(runningEvents, { onExit });
    await waitForText(lastFrame, 'gsm8k');
    stdin.write('q');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(onExit).not.toHaveBeenCalled();
    for (const event of finishingEvents) queue.push(event);
    await waitForText(lastFrame, 'Audit finished:');
    expect(live(lastFrame() ?? '')).toContain('q quit');
    stdin.write('q');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledTimes(1));
  });

  it('q from a sample view returns to the table before exiting, so the last frame holds every row once', async () => {
    const onExit = vi.fn();
    const { lastFrame, stdin } = start(allEvents, { onExit });
    await waitForText(lastFrame, 'Audit finished:');
    stdin.write('\r');
    await waitForText(lastFrame, 'samples by suspicion');
    stdin.write('\r');
    await waitForText(lastFrame, 'lowest-probability tokens highlighted');
    stdin.write('q');
    await vi.waitFor(() => expect(onExit).toHaveBeenCalledTimes(1));
    const frame = stripSgr(lastFrame() ?? '');
    expect(live(frame)).toContain('Audit finished: 1 contaminated, 1 suspicious, 1 clean');
    for (const name of ['arc', 'mmlu', 'gsm8k']) expect(frame.match(new RegExp(`✓ ${name}`, 'g'))).toHaveLength(1);
  });

  it('shows the verdict counts in their colours at the end', async () => {
    const { lastFrame } = start(allEvents);
    const frame = await waitForText(lastFrame, 'Audit finished:');
    expect(stripSgr(frame)).toContain('Audit finished: 1 contaminated, 1 suspicious, 1 clean');
    expect(frame).toMatch(/\u001b\[31m(?:\u001b\[[0-9;]*m)*1 contaminated/);
    expect(frame).toMatch(/\u001b\[33m(?:\u001b\[[0-9;]*m)*1 suspicious/);
    expect(frame).toMatch(/\u001b\[32m(?:\u001b\[[0-9;]*m)*1 clean/);
  });

  it('calls onCancel on Ctrl-C with the press count and says it is cancelling', async () => {
    const onCancel = vi.fn();
    const onExit = vi.fn();
    const { lastFrame, stdin } = start(runningEvents, { onCancel, onExit });
    await waitForText(lastFrame, 'gsm8k');
    stdin.write(KEYS.ctrlC);
    await waitForText(lastFrame, 'partial results will be kept');
    expect(live(lastFrame() ?? '')).toContain('ctrl-c again to force quit');
    stdin.write(KEYS.ctrlC);
    await vi.waitFor(() => expect(onCancel.mock.calls).toEqual([[1], [2]]));
    expect(onExit).not.toHaveBeenCalled();
  });

  it('also accepts a subscribe function as the event source', async () => {
    const emitter = new EventEmitter();
    const subscribe = (listener: (event: AuditEvent) => void) => {
      emitter.on('event', listener);
      return () => emitter.off('event', listener);
    };
    const { lastFrame } = render(<AuditApp events={subscribe} clock={clock} tickMs={0} />);
    await waitForText(lastFrame, 'waiting for the audit to start');
    await vi.waitFor(() => expect(emitter.listenerCount('event')).toBe(1));
    for (const event of allEvents) emitter.emit('event', event);
    await waitForText(lastFrame, 'Audit finished:');
  });
});

/** A stdout whose width the test changes, emitting 'resize' like a TTY. */
class ResizableStdout extends EventEmitter {
  columns = 100;
  rows = 30;
  frames: string[] = [];
  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };
  lastFrame = (): string | undefined => this.frames[this.frames.length - 1];
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}

describe('AuditApp resize', () => {
  it('lays the rows out again for the new width', async () => {
    const stdout = new ResizableStdout();
    const instance = inkRender(<AuditApp events={queueOf(allEvents)} clock={clock} tickMs={0} />, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    try {
      const widest = (frame: string) => Math.max(...live(frame).split('\n').map((line) => Array.from(line).length));
      const wide = await waitForText(stdout.lastFrame, 'Audit finished');
      expect(widest(wide)).toBeGreaterThan(90);
      expect(widest(wide)).toBeLessThanOrEqual(100);
      stdout.columns = 60;
      stdout.emit('resize');
      const narrow = await waitForFrame(stdout.lastFrame, (f) => live(f).includes('Audit finished') && widest(f) <= 60);
      expect(live(narrow)).toMatch(/✓ gsm8k/);
    } finally {
      instance.unmount();
      instance.cleanup();
    }
  });
});
