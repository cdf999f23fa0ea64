/**
 * Output buffers of onnxruntime-node are garbage as soon as their numbers are read, but V8 only
 * collects them when its own heap asks for it, and ours barely grows: an MMLU audit held 50 MB of
 * dead K/V tails and other outputs at its peak. After every `LIMIT` bytes handed to JS, a minor
 * collection (a few milliseconds) frees the young ones.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

const LIMIT = 16 * 2 ** 20;

type Collect = (options?: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

function exposeGc(): Collect | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Collect) : undefined;
  } catch {
    return undefined;
  }
}

const collect = exposeGc();
let handed = 0;

/**
 * A full collection, for a dropped cache of tens of MB: by then it is old, so only a full one frees
 * it, and V8 would wait for its own heap to grow. About 20-40 ms.
 */
export function collectNow(): void {
  handed = 0;
  collect?.({ type: 'major' });
}

/** Counts bytes of buffers that become garbage soon; collects once they add up to LIMIT. */
export function noteTransientBytes(bytes: number): void {
  handed += bytes;
  if (handed < LIMIT || !collect) return;
  handed = 0;
  collect({ type: 'minor' });
}
