/**
 * Appends a scoring and sampling head to a causal LM's ONNX graph, so that onnxruntime returns
 * per-position [batch, seq, 1] numbers instead of [batch, seq, vocab] logits. Copying full logits
 * out of onnxruntime-node costs more than the forward pass itself (performance-notes.md, obs. 1),
 * and the log-softmax is 20x faster inside the graph than in JS.
 *
 * Outputs added:
 *  - contam_logprob [b,s,1]: log p(target_ids[b,s] | ids <= s), target_ids fed as contam_target_ids
 *  - contam_mean    [b,s,1]: sum_v p(v) log p(v) at position s (Min-K%++'s mu)
 *  - contam_std     [b,s,1]: sqrt(sum_v p(v) (log p(v) - mu)^2) (Min-K%++'s sigma, two-pass form)
 *  - contam_topk_values / contam_topk_indices [b,k]: the k largest logits at the last position,
 *    k fed as contam_top_k, for sampling.
 * onnxruntime runs every node whatever is fetched, so sampling passes compute the per-position
 * numbers too; a long prefix is therefore prefilled in segments (sampling.ts). Slicing the logits
 * to skip them cost a [positions, vocab] copy in every scoring pass, 4-6% of scoring speed.
 * The per-position numbers go a chunk of positions at a time (a Loop), so a pass holds its logits
 * and a few small chunks instead of several [positions, vocab] tensors.
 * Where W is small, the LM head's MatMul moves in as well and no pass holds its whole logits
 * (graph-lm-head.ts).
 * Only standard ops valid from opset 11 on, so exports from old tooling work too.
 */
import type { GraphBuilder } from '../../onnx/graph-builder.js';
import { DataType, encodeGraphPatch } from '../../onnx/proto.js';
import { readFields, utf8, type Bytes } from './protobuf-wire.js';
import type { SplitPlan } from './graph-attention.js';
import type { CausalMaskPlan } from './graph-causal-mask.js';
import { buildLmHead, type LmHeadPlan } from './graph-lm-head.js';
import { HEAD, NUMBERS, chunkSlicer, headBuilder, lastAxis, rowStats, tensor } from './graph-head-parts.js';

export { HEAD };

/** The default-domain opset a model imports (ModelProto.opset_import, field 8). */
export function defaultOpset(model: Bytes): number | undefined {
  for (const f of readFields(model)) {
    if (f.field !== 8 || !f.bytes) continue;
    let domain = '';
    let version: number | undefined;
    for (const g of readFields(f.bytes)) {
      if (g.field === 1 && g.bytes) domain = utf8(g.bytes);
      if (g.field === 2 && g.value !== undefined) version = Number(g.value);
    }
    if (domain === '' || domain === 'ai.onnx') return version;
  }
  return undefined;
}

export interface HeadOptions {
  readonly logitsName: string;
  readonly logitsFp16: boolean;
  readonly vocab: number;
  /** KV outputs whose last position is also returned alone (see newKvName). */
  readonly presents?: readonly { readonly name: string; readonly lengthAxis: number; readonly elemType: number; readonly rank: number }[];
  /** Attention rewritten to read the past in place (graph-attention.ts); its presents' new positions come from its X. */
  readonly split?: SplitPlan;
  /** The export's causal triangle made to hold after a past (graph-causal-mask.ts). */
  readonly causalMask?: CausalMaskPlan;
  /** The hidden embedding Gather's output, fed from `contam_embeds` instead (embedding.ts). */
  readonly embeds?: { readonly output: string; readonly width: number; readonly elemType: number };
  /** The LM head's MatMul, moved into the head (graph-lm-head.ts): `logitsName` is then not computed. */
  readonly lmHead?: LmHeadPlan;
  /** Positions per chunk of the scoring numbers (statsBranch); default about 1 MiB of logits (2 MiB with lmHead). */
  readonly chunkRows?: number;
}

/**
 * The new position's K or V alone, [.., batch, heads, head_dim] (the length axis gathered away): a
 * decode step can return a few KB per row instead of copying the whole cache out of onnxruntime.
 */
export const newKvName = (present: string): string => `contam_new_${present}`;

/**
 * The last positions of a present, from contam_tail_from (negative: -new tokens) on, length axis kept:
 * a segment of a long text returns its own K/V instead of a copy of the whole grown cache (segments.ts).
 * Other passes feed -1, so the slice onnxruntime runs anyway copies one position.
 */
export const tailKvName = (present: string): string => `contam_tail_${present}`;

const per = ['batch_size', 'sequence_length', 1];

/**
 * About this many bytes of logits per chunk of the scoring head (statsBranch): 5 positions of
 * GPT-2's vocabulary. A chunk's log-softmax and its products are a few tensors of this size, and
 * onnxruntime's arena grows in regions of twice the last one, so a few MB more at the top of a pass
 * can cost a region of 32 MB. With gpt2-mini (a pass's logits 26 MB) as both models of the two
 * longest MMLU items the audit peaked at 376 / 376 MB with 1 MiB chunks, 385 / 386 with 2 and
 * 405 / 405 with 4 (alternating child runs, 2026-12-07, 2 vCPUs), and with a GPT-2-small target at
 * 952 MB against 983 in the same time (1,346 s against 1,334); one session scoring 16 texts of 129
 * tokens grew 30 MB where it had grown 60. Speed did not move beyond the runs' spread:
 * gpt2-mini scored 4,180-4,547 tok/s against 4,237-4,759, GPT-2 small 892-1,034 against 859-957
 * (the bench texts, three rounds per process, two processes each). Earlier, on GPT-2 small alone,
 * 2, 4 and 8 MiB measured the same within noise.
 */
const CHUNK_BYTES = 2 ** 20;
const LM_CHUNK_BYTES = 2 * 2 ** 20;

/**
 * One pass of the Loop: rows [i x chunk, (i + 1) x chunk) of the flattened logits, their numbers
 * written into the carried [positions, 1] results.
 */
function chunkBody(fp16: boolean): GraphBuilder {
  const g = headBuilder('contam_chunk');
  const i = g.input('contam/i', 'int64', []);
  const cond = g.input('contam/cond_in', 'bool', []);
  const carried = NUMBERS.map((n) => g.input(`contam/${n}_in`, 'float32', ['contam_n', 1]));
  const rows = chunkSlicer(g, i, 'contam/chunk_1d');
  // fp16 logits are widened a chunk at a time: a whole pass's fp32 copy was twice the logits' size.
  const chunk = rows('contam/logits2d', 'chunk_logits');
  const wide = fp16 ? g.op('Cast', [chunk], { to: { int: DataType.FLOAT } }, 'contam/chunk_logits32') : chunk;
  const stats = rowStats(g, wide, rows('contam/targets2d', 'chunk_targets'));
  const at = rows('contam/row_index', 'chunk_rows');
  g.op('Identity', [cond], {}, 'contam/cond_out');
  g.output('contam/cond_out', 'bool', []);
  NUMBERS.forEach((n, k) => {
    g.op('ScatterElements', [carried[k], at, stats[n]], { axis: { int: 0 } }, `contam/${n}_out`);
    g.output(`contam/${n}_out`, 'float32', ['contam_n', 1]);
  });
  return g;
}

/**
 * The per-position numbers, run when contam_score is true (a scoring pass), a chunk of rows at a
 * time: the log-softmax and its products are [rows, vocab] each, and onnxruntime's arena keeps
 * about four of them per session, so over a whole pass they set a small model's peak memory (issue
 * 20). In chunks (contam/chunk rows) they cost a chunk whatever the pass's length; only the logits are whole.
 */
function statsBranch(logits: string, fp16: boolean): GraphBuilder {
  const g = headBuilder('contam_stats');
  g.op('Reshape', [logits, 'contam/as_rows'], {}, 'contam/logits2d');
  g.op('Reshape', [HEAD.targetIds, 'contam/as_column'], {}, 'contam/targets2d');
  const n = g.op('Gather', [g.op('Shape', ['contam/logits2d'], {}, 'contam/shape2d'), 'contam/zero'], { axis: { int: 0 } }, 'contam/n');
  const trips = g.op('Div', [g.op('Add', [n, 'contam/chunk_less_one'], {}, 'contam/n_up'), 'contam/chunk'], {}, 'contam/trips');
  g.op('Reshape', [g.op('Range', ['contam/zero', n, 'contam/one'], {}, 'contam/rows'), 'contam/as_column'], {}, 'contam/row_index');
  const zeros = g.op('ConstantOfShape', [g.op('Concat', [g.op('Reshape', [n, 'contam/one_dim'], {}, 'contam/n1'), 'contam/one_dim'], { axis: { int: 0 } }, 'contam/n_by_1')], {}, 'contam/zeros');
  const shape = g.op('Shape', [HEAD.targetIds], {}, 'contam/per_shape');
  const outs = g.node('Loop', [trips, 'contam/true', zeros, zeros, zeros], { body: { graph: chunkBody(fp16) } }, NUMBERS.map((x) => `contam/${x}_all`));
  const named = NUMBERS.map((x, k) => g.op('Reshape', [outs[k], shape], {}, `contam/${x}`));
  for (const name of named) g.output(name, 'float32', per);
  return g;
}

/**
 * Empty numbers for sampling passes: onnxruntime runs every node whatever is fetched, and the
 * log-softmax with its [rows, vocab] intermediates cost a decode step about 5% for nothing. An If
 * skips them without the copy a slice of the logits would cost every scoring pass.
 */
function emptyBranch(): GraphBuilder {
  const g = headBuilder('contam_no_stats');
  const names = ['contam/no_lp', 'contam/no_mean', 'contam/no_std'];
  for (const name of names) g.op('Constant', [], { value: tensor(new Float32Array(0), [0, 0, 1]) }, name);
  for (const name of names) g.output(name, 'float32', [0, 0, 1]);
  return g;
}

/** ModelProto bytes holding only the head's graph: appended to the model file, they merge into its graph. */
export function headPatch(options: HeadOptions): Uint8Array {
  const { vocab } = options;
  const g = headBuilder();
  const logits = options.logitsName;
  g.op('Constant', [], { value: tensor(new Float32Array(vocab).fill(1), [vocab, 1]) }, 'contam/ones');
  const lastIndex = g.op('Constant', [], { value: tensor(BigInt64Array.of(-1n), []) }, 'contam/last_index');
  const noEnd = g.op('Constant', [], { value: tensor(BigInt64Array.of(2n ** 62n), [1]) }, 'contam/no_end');
  // With the LM head moved in (graph-lm-head.ts) nothing else of a pass's size is held, and chunks
  // of 2 MiB kept the tiny Llama pair's peak 33 MB under what 4 MiB did (its W stays in cache).
  const rowsPerChunk = options.chunkRows ?? Math.max(1, Math.floor((options.lmHead ? LM_CHUNK_BYTES : CHUNK_BYTES) / (4 * vocab)));
  const ints = (name: string, values: readonly number[], dims: readonly number[]) => g.op('Constant', [], { value: tensor(BigInt64Array.from(values, BigInt), dims) }, name);
  ints('contam/as_rows', [-1, vocab], [2]);
  ints('contam/as_column', [-1, 1], [2]);
  ints('contam/one_dim', [1], [1]);
  ints('contam/axis_0', [0], [1]);
  ints('contam/zero', [0], []);
  ints('contam/one', [1], []);
  ints('contam/chunk', [rowsPerChunk], []);
  ints('contam/chunk_1d', [rowsPerChunk], [1]);
  ints('contam/chunk_less_one', [rowsPerChunk - 1], []);
  g.op('Cast', ['contam/one'], { to: { int: DataType.BOOL } }, 'contam/true');
  if (options.lmHead) {
    buildLmHead(g, options.lmHead);
  } else {
    g.node('If', [HEAD.score], { then_branch: { graph: statsBranch(logits, options.logitsFp16) }, else_branch: { graph: emptyBranch() } }, [HEAD.logprob, HEAD.mean, HEAD.std]);
    const lastRaw = g.op('Gather', [logits, lastIndex], { axis: { int: 1 } }, options.logitsFp16 ? 'contam/last16' : 'contam/last');
    const last = options.logitsFp16 ? g.op('Cast', [lastRaw], { to: { int: DataType.FLOAT } }, 'contam/last') : lastRaw;
    g.node('TopK', [last, HEAD.topK], lastAxis, [HEAD.topValues, HEAD.topIndices]);
  }
  const b = 'batch_size';
  const s = 'sequence_length';
  const axes = new Set<number>();
  for (const present of options.presents ?? []) {
    const axis = `contam/axis_${present.lengthAxis}`;
    // Split attention: the Concat's new part holds the positions both outputs take (its last, its tail).
    const source = options.split?.sites.find((site) => site.present === present.name)?.fresh ?? present.name;
    g.op('Gather', [source, lastIndex], { axis: { int: present.lengthAxis } }, newKvName(present.name));
    g.output(newKvName(present.name), present.elemType, Array.from({ length: present.rank - 1 }, (_, i) => `contam_kv_${i}`));
    if (!axes.has(present.lengthAxis)) {
      axes.add(present.lengthAxis);
      g.op('Constant', [], { value: tensor(BigInt64Array.of(BigInt(present.lengthAxis)), [1]) }, axis);
    }
    g.op('Slice', [source, HEAD.tailFrom, noEnd, axis], {}, tailKvName(present.name));
    g.output(tailKvName(present.name), present.elemType, Array.from({ length: present.rank }, (_, i) => `contam_tail_${i}`));
  }
  if (options.presents?.length) g.input(HEAD.tailFrom, 'int64', [1]);
  options.split?.build(g);
  options.causalMask?.build(g);
  if (options.embeds) {
    g.op('Identity', [HEAD.embeds], {}, options.embeds.output);
    g.input(HEAD.embeds, options.embeds.elemType, [b, s, options.embeds.width]);
  }
  g.input(HEAD.targetIds, 'int64', [b, s, 1]);
  g.input(HEAD.topK, 'int64', [1]);
  g.input(HEAD.score, 'bool', [1]);
  for (const name of [HEAD.logprob, HEAD.mean, HEAD.std]) g.output(name, 'float32', [b, s, 1]);
  g.output(HEAD.topValues, 'float32', [b, 'contam_k']);
  g.output(HEAD.topIndices, 'int64', [b, 'contam_k']);
  return encodeGraphPatch(g.graph());
}
