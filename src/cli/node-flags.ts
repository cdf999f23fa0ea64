/**
 * The flags node starts with for contam, as the bin's shebang (src/cli/main.ts) and `npm start`
 * pass them; the bench's memory child starts the same way (test/models/garbage.test.ts keeps the
 * three in step).
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
 */
export const NODE_FLAGS = ['--expose-gc', '--max-semi-space-size=1'] as const;
