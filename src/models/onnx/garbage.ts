/**
 * Output buffers of onnxruntime-node are garbage as soon as their numbers are read, but V8 only
 * collects them when its own heap asks for it, and ours barely grows: dead K/V tails and other
 * outputs pile up outside the JS heap. After every `LIMIT` bytes handed to JS, and when a large K/V
 * cache is dropped, a collection frees them.
 *
 * The collector is V8's `gc`, which exists only when node starts with `--expose-gc`: the bin's
 * shebang passes it (src/cli/main.ts, `#!/usr/bin/env -S node --expose-gc`; NODE_OPTIONS also
 * accepts the flag). It is called only as documented, `gc()` with no argument (a full collection).
 * Started any other way (`node dist/cli/main.js`, the tests' workers, contam used as a library)
 * nothing is collected here and the peak is a few percent higher; results are the same.
 *
 * Why not the earlier trick (issue 19): it set `--expose-gc` after start-up with
 * `v8.setFlagsFromString` (Node documents the outcome of changing flags after start-up as undefined)
 * and called `gc({ type: 'minor' })`, an option Node does not document. Measured on Node v20.20.2
 * (onnxruntime-node 1.30.0, 2 shared vCPUs), an audit of the two longest MMLU test items (959 and
 * 934 tokens, gpt2-mini as target and reference, 10 neighbours), three interleaved runs per variant:
 * see the README's Performance section for the figures. The minor collections gave no lower peak
 * than no collection at all; full collections at the same points peaked about 3% below the minor
 * ones, at 12 collections (0.6-0.8 s) per run. On the real exports in ../shared/data
 * (tiny-random-LlamaForCausalLM-fp16) the outputs never reach `LIMIT`, so no variant collects.
 */

const LIMIT = 16 * 2 ** 20;

const collect: (() => void) | undefined = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;
let handed = 0;

/**
 * A full collection, for a dropped cache of tens of MB: by then it is old, so only a full one frees
 * it, and V8 would wait for its own heap to grow.
 */
export function collectNow(): void {
  handed = 0;
  collect?.();
}

/** Counts bytes of buffers that become garbage soon; collects once they add up to LIMIT. */
export function noteTransientBytes(bytes: number): void {
  handed += bytes;
  if (handed < LIMIT || !collect) return;
  handed = 0;
  collect();
}
