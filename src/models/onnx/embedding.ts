/**
 * The token embedding, looked up in JS from the weight file instead of by the graph's Gather.
 *
 * onnxruntime maps an external weight file and its Gather touches one row per token met, so over an
 * audit (neighbours of a random-weight model sample the whole vocabulary) the table becomes resident,
 * besides the copy onnxruntime packs for an LM head tied to it: 154 MB twice for GPT-2 small. With
 * the Gather taken out of the graph the table is read row by row with pread (a few KB per token,
 * from the page cache, which is not the process's memory) and fed as `contam_embeds`; a tied head
 * still folds and packs its own transposed copy, and the mapped table is released.
 *
 * The Gather is hidden in place (graph-edit.ts).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { eachGraphEntry, parseInitializer, parseNode, type GraphNode, type InitializerInfo } from './graph-edit.js';
import type { Bytes } from './protobuf-wire.js';

const FLOAT = 1;
const FLOAT16 = 10;

export interface EmbeddingSite {
  /** Offset of the Gather node's tag in the model buffer (graph-edit.ts hides it). */
  readonly nodeTag: number;
  /** The Gather's output, which `contam_embeds` feeds instead. */
  readonly output: string;
  readonly rows: number;
  readonly width: number;
  readonly dtype: 'float32' | 'float16';
  /** Where row 0 starts, and in which file. */
  readonly file: string;
  readonly offset: number;
}

/**
 * The Gather of a 2-D float weight by `input_ids` (axis 0), with where its rows lie on disk, or
 * undefined when the graph embeds tokens some other way (fused ops, quantized tables).
 */
export function findEmbedding(model: Bytes, onnxPath: string): EmbeddingSite | undefined {
  let found: GraphNode | undefined;
  eachGraphEntry(model, 1, (payload, at) => {
    if (found) return;
    const node = parseNode(payload, at);
    if (node.op === 'Gather' && node.inputs[1] === 'input_ids' && (node.int.axis ?? 0) === 0 && node.outputs.length === 1) found = node;
  });
  if (!found) return undefined;
  const name = found.inputs[0];
  let weight: InitializerInfo | undefined;
  // Offsets are relative to the buffer the model was read into (read from file offset 0).
  eachGraphEntry(model, 5, (payload) => {
    const parsed = parseInitializer(payload, -model.byteOffset);
    if (parsed.name === name) weight = parsed.info;
  });
  if (!weight || weight.dims.length !== 2 || (weight.type !== FLOAT && weight.type !== FLOAT16)) return undefined;
  const [rows, width] = weight.dims;
  const elem = weight.type === FLOAT ? 4 : 2;
  let file = onnxPath;
  let offset = weight.rawAt;
  if (weight.external.location) {
    file = join(dirname(onnxPath), weight.external.location);
    offset = Number(weight.external.offset ?? 0);
    if (weight.external.length !== undefined && Number(weight.external.length) !== rows * width * elem) return undefined;
  }
  if (offset === undefined) return undefined;
  return { nodeTag: found.start, output: found.outputs[0], rows, width, dtype: weight.type === FLOAT ? 'float32' : 'float16', file, offset };
}

/**
 * Rows read lately, per site: a decode step reads one row per sampled sequence, and 100 preads a
 * step were about a fifth of contam's own time per step on gpt2-mini (issue 20, goal 5). Sampled
 * tokens repeat, so a few MB of rows serve most steps; when full the cache starts over, so it never
 * holds more than ROW_CACHE_BYTES (the table itself stays out of the process, as above).
 */
const ROW_CACHE_BYTES = 4 * 2 ** 20;
const rowCaches = new WeakMap<EmbeddingSite, Map<number, Buffer>>();

function rowCache(site: EmbeddingSite): Map<number, Buffer> {
  let cache = rowCaches.get(site);
  if (!cache) rowCaches.set(site, (cache = new Map()));
  return cache;
}

/** [batch, seq, width] embeddings of the token ids, read from the weight file. */
export function lookupEmbeddings(site: EmbeddingSite, ids: readonly (readonly number[])[]): ort.Tensor {
  const batch = ids.length;
  const seq = ids[0]?.length ?? 0;
  const elem = site.dtype === 'float32' ? 4 : 2;
  const rowBytes = site.width * elem;
  const out = Buffer.alloc(batch * seq * rowBytes);
  const cache = rowCache(site);
  const most = Math.max(1, Math.floor(ROW_CACHE_BYTES / rowBytes));
  let fd: number | undefined;
  try {
    for (let b = 0, at = 0; b < batch; b++) {
      for (let i = 0; i < seq; i++, at += rowBytes) {
        const id = ids[b][i];
        if (!Number.isInteger(id) || id < 0 || id >= site.rows) throw new RangeError(`token id ${id} is outside the embedding table (${site.rows} rows)`);
        const known = cache.get(id);
        if (known) {
          known.copy(out, at);
          continue;
        }
        fd ??= openSync(site.file, 'r');
        if (readSync(fd, out, at, rowBytes, site.offset + id * rowBytes) !== rowBytes) throw new Error(`${site.file}: embedding row ${id} is cut short`);
        if (cache.size >= most) cache.clear();
        cache.set(id, Buffer.from(out.subarray(at, at + rowBytes)));
      }
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const data = site.dtype === 'float32' ? new Float32Array(out.buffer, out.byteOffset, batch * seq * site.width) : new Uint16Array(out.buffer, out.byteOffset, batch * seq * site.width);
  return new ort.Tensor(site.dtype, data, [batch, seq, site.width]);
}
