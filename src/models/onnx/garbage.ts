/**
 * A dropped K/V cache of tens of MB is old by the time it is dropped, so only a full collection
 * frees it, and V8 would wait for its own heap to grow. `collectNow` runs one (kv-buffers.ts).
 *
 * The collector is V8's `gc`, which exists only when node starts with `--expose-gc`: the bin's
 * shebang passes it (src/cli/node-flags.ts; NODE_OPTIONS also accepts the flag). It is called only
 * as documented, `gc()` with no argument (a full collection). Started any other way (`node
 * dist/cli/main.js`, the tests' workers, contam used as a library) nothing is collected here and
 * results are the same.
 *
 * The many small outputs of onnxruntime-node (a decode step's top-k and new K/V, a scoring pass's
 * numbers) are freed by V8's young-generation collections instead, which node-flags.ts makes
 * frequent with a 1 MiB semi-space. Until then (issue 19) a full collection also ran after every
 * 16 MB of outputs: about 25 ms each on gpt2-mini (the GPT-2 tokenizer's 25 MB of JS heap is
 * marked every time), 2-3 per 100-row sampling call, 13-16% of the call; with the small semi-space
 * the audit of the two longest MMLU items peaks lower without it (node-flags.ts).
 * `Tensor.dispose()` is no substitute: on a CPU tensor it only drops the reference to the buffer.
 */

const collect: (() => void) | undefined = typeof globalThis.gc === 'function' ? globalThis.gc : undefined;

/** A full collection, when node started with `--expose-gc`; else nothing. */
export function collectNow(): void {
  collect?.();
}
