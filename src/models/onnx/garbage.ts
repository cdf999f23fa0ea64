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
 * nothing is collected here and the peak is 1-2% higher (below); results are the same.
 *
 * Why not the earlier trick (issue 19): it set `--expose-gc` after start-up with
 * `v8.setFlagsFromString` (Node leaves the effect of changing flags after start-up undefined) and
 * called `gc({ type: 'minor' })`, an option Node does not document. Measured on Node v20.20.2,
 * onnxruntime-node 1.30.0, 2 shared vCPUs, four interleaved rounds of an audit of the two longest
 * MMLU test items (gpt2-mini as target and reference, 10 neighbours, bench/peak-memory-child.ts):
 * peak RSS medians 520 MB (old), 501 MB (no collection), 494 MB (this: full `gc()`), i.e. 0.955x
 * the old peak per round (0.926-0.958); wall-time medians 54.9, 43.6 and 41.7 s, within the host's
 * run-to-run noise; the 12 full collections cost 0.6-1.1 s per run against 0.1 s for the minor ones.
 * The minor collections lowered the peak no more than no collection at all. On the real export in
 * ../shared/data (tiny-random-LlamaForCausalLM-fp16) the outputs never reach `LIMIT` and no
 * variant collects (1,921 / 1,926 / 1,921 MB). Only v20.20.2 was measured; README, Performance.
 * `Tensor.dispose()` is no substitute: on a CPU tensor it only drops the reference to the buffer.
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
