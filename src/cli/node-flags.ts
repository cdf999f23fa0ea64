/**
 * The flags node starts with for contam, as the bin's shebang (src/cli/main.ts) and `npm start`
 * pass them; the bench's memory child starts the same way (test/models/garbage.test.ts keeps the
 * three in step).
 *  --expose-gc: onnxruntime outputs are collected as soon as 16 MB of them are garbage
 *    (src/models/onnx/garbage.ts).
 *  --max-semi-space-size=4 (MiB): V8's young generation keeps two semi-spaces of up to 16 MiB each
 *    by default on 64-bit, committed once a burst of short-lived objects (tokenizing, JSON) has
 *    filled them. At 4 MiB the longest MMLU item's audit with gpt2-mini as both models peaked
 *    25-40 MiB lower, at the same scoring and sampling speed (README, Performance; issue 20, goal 4).
 */
export const NODE_FLAGS = ['--expose-gc', '--max-semi-space-size=4'] as const;
