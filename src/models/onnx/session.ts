/**
 * Opens a causal LM graph in onnxruntime-node, with our scoring head appended when the graph
 * allows, and runs one forward pass over a padded batch. (onnxruntime is imported only under
 * src/models/onnx/: the rest of contam sees models through the ModelBackend seam.)
 */
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { FatalError, errorMessage } from '../../errors.js';
import { declaredOutputs } from './graph-outputs.js';
import { HEAD, defaultOpset, headPatch } from './graph-head.js';
import { findEmbedding, type EmbeddingSite } from './embedding.js';
import { hideNode, hideOutput, type Hidden } from './graph-edit.js';
import { planSplitAttention, type SplitPlan } from './graph-attention.js';
import { planCausalMask, type CausalMaskPlan } from './graph-causal-mask.js';
import { planLmHead, type LmHeadPlan } from './graph-lm-head.js';
import { readSignature, type Meta, type Signature } from './signature.js';

// Before the first session: onnxruntime must never write into a terminal UI.
ort.env.logLevel = 'fatal';

export interface OpenedSession {
  readonly session: ort.InferenceSession;
  readonly signature: Signature;
  /** True when the graph carries our head (per-position numbers computed inside onnxruntime). */
  readonly hasHead: boolean;
  readonly threads: number;
  /** False when onnxruntime's pool threads block instead of spinning while they wait (two models side by side). */
  readonly spinning: boolean;
  /** Set when token embeddings are read from the weight file and fed as contam_embeds. */
  readonly embedding?: EmbeddingSite;
  /** True when the attention reads the past in place and presents are built on request (graph-attention.ts). */
  readonly splitAttention?: boolean;
  /** Past inputs the split attention reads a shared past of batch 1 before (graph-attention.ts sharedPastName), fed empty unless rows share a prefix. */
  readonly sharedPasts?: readonly string[];
  /** True when the head multiplies by the LM head's weight itself and the graph has no logits output (graph-lm-head.ts). */
  readonly lmHeadMoved?: boolean;
}

function options(onnxPath: string, threads: number, spinning: boolean): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    logSeverityLevel: 4,
    graphOptimizationLevel: 'all',
    // Batch shapes change with every length bucket, and onnxruntime keeps a planned block per shape
    // in its arena: off, an MMLU audit peaked about 40 MB lower for about 2% of scoring speed.
    enableMemPattern: false,
    // Loading from a buffer: external weight files are found beside the original graph.
    // Spinning keeps a pool thread busy between tasks: right when the session has the cores to
    // itself, and a waste of them when two models run side by side (audit/seats.ts).
    extra: { session: { model_external_initializers_file_folder_path: dirname(onnxPath), ...(spinning ? {} : { intra_op: { allow_spinning: '0' } }) } },
  };
}

async function create(bytes: Uint8Array, onnxPath: string, threads: number, spinning: boolean): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, options(onnxPath, threads, spinning));
}

/** Room left after the graph for the head (4 bytes per vocabulary entry plus a few KB). */
const HEAD_ROOM = 8 * 2 ** 20;

/**
 * The model file, read into a buffer with room for the head after it: a graph with its weights
 * inside is as large as they are, and appending the head by copying would hold it twice in JS
 * while onnxruntime builds its own copy.
 */
function readModel(path: string): { buffer: Uint8Array; size: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafe(size + HEAD_ROOM);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, buffer, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return { buffer, size: at };
  } finally {
    closeSync(fd);
  }
}

/**
 * `threads`: onnxruntime's intra-op threads; default every core.
 * `spinning`: whether its pool threads spin while they wait for work (onnxruntime's default; off side by side).
 * `splitAttention`: let the attention read the past in place where the export allows (graph-attention.ts).
 */
export async function openSession(onnxPath: string, where: string, useHead = true, threads = Math.max(1, availableParallelism()), splitAttention = true, spinning = true): Promise<OpenedSession> {
  let file: { buffer: Uint8Array; size: number };
  try {
    file = readModel(onnxPath);
  } catch (error) {
    throw new FatalError(`${onnxPath}: cannot read (${errorMessage(error)})`);
  }
  const bytes = file.buffer.subarray(0, file.size);
  let logits;
  try {
    logits = declaredOutputs(bytes).find((o) => o.name === 'logits');
  } catch {
    throw new FatalError(`${onnxPath}: not an ONNX model (the file does not parse as an ONNX protobuf)`);
  }
  const vocab = logits?.dims[logits.dims.length - 1];
  const opset = defaultOpset(bytes) ?? 0;
  const headable = useHead && logits && typeof vocab === 'number' && (logits.elemType === 1 || logits.elemType === 10) && opset >= 11;
  if (headable && logits && typeof vocab === 'number') {
    const presents = declaredOutputs(bytes).flatMap((o) => {
      const lengthAxis = /^present\.\d+\.(key|value)$/.test(o.name) ? 2 : /^present_\d+$/.test(o.name) ? 3 : -1;
      return lengthAxis >= 0 && o.elemType !== undefined && o.dims.length === lengthAxis + 2 ? [{ name: o.name, lengthAxis, elemType: o.elemType, rank: o.dims.length }] : [];
    });
    // The graph's own embedding Gather gives way to contam_embeds (embedding.ts).
    let embedding: EmbeddingSite | undefined;
    let embeddingHidden: Hidden | undefined;
    try {
      embedding = findEmbedding(bytes, onnxPath);
      embeddingHidden = embedding && hideNode(bytes, embedding.nodeTag);
    } catch {
      embedding = undefined;
    }
    const embeds = embedding && { output: embedding.output, width: embedding.width, elemType: embedding.dtype === 'float32' ? 1 : 10 };
    let split: SplitPlan | undefined;
    try {
      split = splitAttention && presents.length ? planSplitAttention(bytes, presents) : undefined;
    } catch {
      split = undefined;
    }
    let causalMask: CausalMaskPlan | undefined;
    try {
      causalMask = presents.length ? planCausalMask(bytes) : undefined;
    } catch {
      causalMask = undefined;
    }
    let lmHead: LmHeadPlan | undefined;
    try {
      lmHead = planLmHead(bytes, 'logits', vocab);
    } catch {
      lmHead = undefined;
    }
    const logitsFp16 = logits.elemType === 10;
    // The session no longer declares logits when the head makes them; the signature still reads the export's.
    const movedLogits: Meta = { name: 'logits', isTensor: true, type: logitsFp16 ? 'float16' : 'float32', shape: logits.dims };
    // With every rewrite first; a graph that rejects them gets fewer, then the head alone, then nothing.
    const attempts: { split?: SplitPlan; causalMask?: CausalMaskPlan; lm?: LmHeadPlan }[] = [{ split, causalMask, lm: lmHead }];
    if (lmHead) attempts.push({ split, causalMask });
    if (split) attempts.push({ causalMask });
    if (causalMask) attempts.push({});
    for (const { split: plan, causalMask: mask, lm } of attempts) {
      const hidden = [...(plan?.hide ?? []), ...(mask?.hide ?? []), ...(lm ? [lm.node] : [])].map((at) => hideNode(bytes, at));
      if (lm) hidden.push(hideOutput(bytes, lm.output));
      const patch = headPatch({ logitsName: 'logits', logitsFp16, vocab, presents, embeds, split: plan, causalMask: mask, lmHead: lm });
      try {
        let withHead: Uint8Array;
        if (patch.length <= file.buffer.length - file.size) {
          file.buffer.set(patch, file.size);
          withHead = file.buffer.subarray(0, file.size + patch.length);
        } else {
          withHead = Buffer.concat([bytes, patch]);
        }
        const session = await create(withHead, onnxPath, threads, spinning);
        return { session, signature: readSignature(session, where, lm && movedLogits), hasHead: true, threads, spinning, embedding, splitAttention: !!plan, sharedPasts: plan?.sites.map((site) => site.past), lmHeadMoved: !!lm };
      } catch (error) {
        for (const h of hidden) h.restore();
        if (error instanceof FatalError) throw error;
        // Some graphs reject the extra nodes (unusual shapes, custom logits): score in JS instead.
      }
    }
    embeddingHidden?.restore();
  }
  let session: ort.InferenceSession;
  try {
    session = await create(bytes, onnxPath, threads, spinning);
  } catch (error) {
    throw new FatalError(`${onnxPath}: onnxruntime cannot load this model (${errorMessage(error).split('\n')[0]})`);
  }
  return { session, signature: readSignature(session, where), hasHead: false, threads, spinning };
}

export type Feeds = Record<string, ort.Tensor>;
export { ort, HEAD };
