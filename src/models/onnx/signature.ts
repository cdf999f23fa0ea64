/**
 * Interface discovery: what an ONNX causal LM takes and returns, read from the session's metadata.
 * Architecture differences are data here (names, dtypes, KV layout), not code paths.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { FatalError } from '../../errors.js';

export type IntType = 'int64' | 'int32';
export type FloatType = 'float32' | 'float16';

export interface KvSpec {
  /** optimum: past_key_values.N.key/.value [b,h,t,d]; stacked: past_N [2,b,h,t,d]. */
  readonly convention: 'optimum' | 'stacked';
  readonly pastNames: readonly string[];
  /** presentNames[i] is fed back as pastNames[i]. */
  readonly presentNames: readonly string[];
  readonly dtype: FloatType;
  /** Shape of one past tensor with the batch and length axes to fill in. */
  readonly heads: number;
  readonly headDim: number;
  readonly batchAxis: number;
  readonly lengthAxis: number;
}

/** Bytes of K/V cache one row holds per token, summed over the graph's past inputs. */
export function kvBytesPerToken(kv: KvSpec): number {
  return kv.pastNames.length * (kv.convention === 'stacked' ? 2 : 1) * kv.heads * kv.headDim * (kv.dtype === 'float16' ? 2 : 4);
}

export interface Signature {
  readonly inputIds: IntType;
  readonly attentionMask?: IntType;
  readonly positionIds?: IntType;
  readonly tokenTypeIds?: IntType;
  readonly useCacheBranch: boolean;
  readonly numLogitsToKeep?: IntType;
  readonly kv?: KvSpec;
  readonly logitsName: string;
  readonly logitsType: FloatType;
  /** From the logits shape when fixed, else undefined (then config.json decides). */
  readonly vocab?: number;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

export type Meta = InferenceSession.ValueMetadata;

function describe(meta: readonly Meta[]): string {
  return meta
    .map((m) => (m.isTensor ? `${m.name} ${m.type}[${m.shape.join(',')}]` : m.name))
    .join(', ');
}

function tensorMeta(meta: readonly Meta[], name: string): (Meta & { isTensor: true }) | undefined {
  const m = meta.find((x) => x.name === name);
  return m && m.isTensor ? m : undefined;
}

function intType(m: Meta & { isTensor: true }, where: string): IntType {
  if (m.type === 'int64' || m.type === 'int32') return m.type;
  throw new FatalError(`${where}: input ${m.name} has type ${m.type}; expected int64 or int32`);
}

function kvSpec(inputs: readonly Meta[], outputs: readonly Meta[], where: string): KvSpec | undefined {
  const optimum = inputs.filter((m) => /^past_key_values\.\d+\.(key|value)$/.test(m.name));
  const stacked = inputs.filter((m) => /^past_\d+$/.test(m.name));
  const pasts = optimum.length > 0 ? optimum : stacked;
  if (pasts.length === 0) return undefined;
  const convention = optimum.length > 0 ? 'optimum' : 'stacked';
  const layerOf = (name: string) => Number(/\d+/.exec(name)![0]);
  const sorted = [...pasts].sort((a, b) => layerOf(a.name) - layerOf(b.name) || a.name.localeCompare(b.name));
  const pastNames = sorted.map((m) => m.name);
  const presentNames = pastNames.map((n) => n.replace(/^past_key_values\./, 'present.').replace(/^past_/, 'present_'));
  const missing = presentNames.filter((n) => !outputs.some((o) => o.name === n));
  if (missing.length > 0) {
    throw new FatalError(`${where}: KV inputs ${pastNames[0]}... have no matching outputs ${missing.slice(0, 2).join(', ')}; outputs found: ${describe(outputs)}`);
  }
  const first = sorted[0];
  if (!first.isTensor || (first.type !== 'float32' && first.type !== 'float16')) {
    throw new FatalError(`${where}: KV input ${first.name} is not a float32/float16 tensor`);
  }
  const shape = first.shape;
  const batchAxis = convention === 'optimum' ? 0 : 1;
  const heads = shape[batchAxis + 1];
  const headDim = shape[batchAxis + 3];
  if (typeof heads !== 'number' || typeof headDim !== 'number') {
    throw new FatalError(`${where}: KV input ${first.name} has symbolic heads or head size [${shape.join(',')}]; expected fixed numbers`);
  }
  return { convention, pastNames, presentNames, dtype: first.type, heads, headDim, batchAxis, lengthAxis: batchAxis + 2 };
}

/** `movedLogits`: the export's logits output, when the head computes them instead (graph-lm-head.ts). */
export function readSignature(session: InferenceSession, where: string, movedLogits?: Meta): Signature {
  const inputs = session.inputMetadata;
  const outputs = movedLogits ? [...session.outputMetadata, movedLogits] : session.outputMetadata;
  const found = `inputs: ${describe(inputs)}; outputs: ${describe(outputs)}`;
  const ids = tensorMeta(inputs, 'input_ids');
  const logits = tensorMeta(outputs, 'logits');
  if (!ids || !logits) {
    const lacking = [!ids && 'input_ids input', !logits && 'logits output [batch, sequence, vocab]'].filter(Boolean).join(' and no ');
    throw new FatalError(`${where}: not a causal LM contam can score: the graph has no ${lacking} (${found})`);
  }
  if (logits.type !== 'float32' && logits.type !== 'float16') {
    throw new FatalError(`${where}: logits are ${logits.type}; expected float32 or float16 (${found})`);
  }
  const known = new Set(['input_ids', 'attention_mask', 'position_ids', 'token_type_ids', 'use_cache_branch', 'num_logits_to_keep', 'logits_to_keep']);
  const kv = kvSpec(inputs, outputs, where);
  const unknown = inputs.filter((m) => !known.has(m.name) && !kv?.pastNames.includes(m.name) && !m.name.startsWith('contam_'));
  if (unknown.length > 0) {
    throw new FatalError(`${where}: the graph needs inputs contam does not know how to feed: ${unknown.map((m) => m.name).join(', ')} (${found})`);
  }
  const opt = (name: string) => {
    const m = tensorMeta(inputs, name);
    return m ? intType(m, where) : undefined;
  };
  const vocab = logits.shape[logits.shape.length - 1];
  const keep = tensorMeta(inputs, 'num_logits_to_keep') ?? tensorMeta(inputs, 'logits_to_keep');
  return {
    inputIds: intType(ids, where),
    attentionMask: opt('attention_mask'),
    positionIds: opt('position_ids'),
    tokenTypeIds: opt('token_type_ids'),
    useCacheBranch: inputs.some((m) => m.name === 'use_cache_branch'),
    numLogitsToKeep: keep ? intType(keep, where) : undefined,
    kv,
    logitsName: 'logits',
    logitsType: logits.type,
    vocab: typeof vocab === 'number' ? vocab : undefined,
    inputs: inputs.map((m) => m.name),
    outputs: outputs.map((m) => m.name),
  };
}

export function describeSignature(session: InferenceSession): { inputs: string; outputs: string } {
  return { inputs: describe(session.inputMetadata), outputs: describe(session.outputMetadata) };
}
