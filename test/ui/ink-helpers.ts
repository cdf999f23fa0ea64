/** Helpers for Ink frames: wait for one by polling, read it without colours. */

// SGR colour/style sequences that Ink itself writes (FORCE_COLOR=1).
const SGR = /\u001b\[[0-9;]*m/g;

export function stripSgr(frame: string): string {
  return frame.replace(SGR, '');
}

/** Polls `lastFrame()` until `predicate` holds; fails with the last frame after `timeoutMs`. */
export async function waitForFrame(
  lastFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  timeoutMs = 3000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = lastFrame() ?? '';
    if (predicate(frame)) return frame;
    if (Date.now() > deadline) throw new Error(`no matching frame within ${timeoutMs} ms; last frame:\n${stripSgr(frame)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until `text` shows in the colourless frame. */
export function waitForText(lastFrame: () => string | undefined, text: string, timeoutMs?: number): Promise<string> {
  return waitForFrame(lastFrame, (frame) => stripSgr(frame).includes(text), timeoutMs);
}

export const KEYS = {
  up: '\u001b[A',
  down: '\u001b[B',
  enter: '\r',
  escape: '\u001b',
  ctrlC: '\u0003',
} as const;
