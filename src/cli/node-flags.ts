/**
 * The flags node starts with for contam, as the bin's shebang (src/cli/main.ts) and `npm start`
 * pass them; the bench's memory child starts the same way (test/models/garbage.test.ts keeps the
 * three in step), with NODE_ENV below.
 *  --expose-gc: a dropped K/V cache of tens of MB is collected at once (src/models/onnx/garbage.ts).
 *  --max-semi-space-size=1 (MiB): V8's young generation keeps two semi-spaces of up to 16 MiB each
 *    by default on 64-bit. onnxruntime-node hands every output over in a new buffer that is freed
 *    only when a collection finds its small JS wrapper dead, and the wrappers fill a large young
 *    generation slowly, so dead buffers piled up. At 1 MiB the young collections come often and
 *    free them: the two longest MMLU items with gpt2-mini as both models peaked at 450-469 MB in
 *    eight runs (median 455), against 471-476 MB at 4 MiB (one of them before sampling stopped
 *    allocating per row, sampling.ts) and 465 MB at 4 MiB with the full collection after every
 *    16 MB of outputs this replaced (garbage.ts), which took 13-16% of a gpt2-mini sampling call.
 *    2 MiB peaked as high as 4. The overlap scan, heavy on short-lived strings, ran within 5% of
 *    4 MiB (one pair of runs each way on 300 MB), gpt2-mini's sampling at the same speed, and with
 *    a GPT-2-small target the peak stayed where it was (992 MB, against 978-995; README,
 *    Performance).
 *  --heap-growing-percent=20: after each full collection V8 lets the old generation grow to up to
 *    4x what survived before it marks again, when collections are quick, as they are here. Where
 *    the model is tiny the audit's own JS churn (tokenising and decoding neighbours, their token
 *    arrays) is most of the work, and with the tiny Llama as both models of the two longest MMLU
 *    items the heap grew from 30 MB live to 120 MB between collections: the process peaked at
 *    343-346 MB, and at 253-255 MB with the growth held to 1.2x (10%: 254, 50%: 264-268, 100%:
 *    278 MB; 2026-12-07, one child run each). The full collections that costs are incremental and
 *    short: 27 taking 133 ms in all on that 13 s audit (4, 12 ms, before), and on the gpt2-mini pair
 *    77 taking 0.73 s of about 50 s (53, 0.45 s, before), whose peak is set by onnxruntime and did not
 *    move (447-461 MB either way, within its run-to-run spread). The overlap scan, whose workers keep
 *    their n-gram index in the old generation, ran at 44.4 MB/s with it and 44.7 without (bench
 *    --quick, 0.2 GB, 362 and 359 MB peak).
 */
export const NODE_FLAGS = ['--expose-gc', '--max-semi-space-size=1', '--heap-growing-percent=20'] as const;

/**
 * The environment node starts with, set the same three ways (the shebang through `env -S`), because
 * glibc reads it once, when the process starts.
 *  MALLOC_MMAP_THRESHOLD_=131072: glibc serves a request of 128 KiB or more with its own mapping,
 *    returned to the system on free, but after such a block is freed it raises that threshold to
 *    the block's size (up to 32 MiB), and from then on blocks of that size come from the heap,
 *    which keeps them once freed. onnxruntime's outputs and the audit's K/V buffers are such
 *    blocks, of many sizes, so the heap grew to hold the largest mix met. With the threshold fixed
 *    the two longest MMLU items with gpt2-mini as both models peaked at 390 and 392 MB against 412
 *    and 414 (alternating child runs, 2026-12-07, 2 vCPUs), with MALLOC_ARENA_MAX=2 as well at 388
 *    and 390 (so not kept), and a GPT-2-small target's audit of one item per paper benchmark at
 *    900 and 902 MB against 916 and 917, in 64.6 and 70.8 s against 65.2 and 67.0. Other C
 *    libraries ignore the variable.
 */
export const NODE_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** NODE_ENV as `NAME=value` words, as the shebang and `npm start` spell them (test/models/garbage.test.ts checks both). */
export const nodeEnvWords = (): string => Object.entries(NODE_ENV).map(([k, v]) => `${k}=${v}`).join(' ');
