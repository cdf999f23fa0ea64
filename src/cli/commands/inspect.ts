/** contam inspect <model>: what contam found in a model folder, before any audit uses it. */
import { parse, stdio, type Output } from '../args.js';
import { FatalError } from '../../errors.js';
import { openModel } from '../../models/onnx/open.js';
import { describeSignature } from '../../models/onnx/signature.js';

export const help = `Usage: contam inspect <model> [--dtype fp32|fp16|q8|...] [--json]

Shows how contam reads a model: the layout and files found, the ONNX inputs and outputs
with shapes, the KV-cache convention, dtype, vocabulary and context sizes, special tokens,
and the fingerprint (sha256 of weights + tokenizer files) that keys the cache.
<model> is a local folder or a Hugging Face model id already in the local hub cache.

Examples:
  contam inspect ./models/gpt2-onnx
  contam inspect Xenova/gpt2 --dtype q8 --json`;

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values, positionals } = parse('inspect', argv, { dtype: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return io.out(help);
  if (positionals.length !== 1) throw new FatalError('contam inspect: expected one model folder or hub id (see contam inspect --help)');
  const model = await openModel(positionals[0], { dtype: values.dtype });
  try {
    const sig = model.opened.signature;
    const tok = model.tokenizer;
    const special = (id: number | undefined) => (id === undefined ? null : { id, text: tok.tokenText(id) });
    const info = {
      model: positionals[0],
      folder: model.files.dir,
      layout: model.files.layout,
      graph: model.files.onnxPath,
      externalData: model.files.externalData,
      tokenizer: model.files.tokenizerPath,
      dtype: model.files.dtype,
      logits: sig.logitsType,
      kvCache: sig.kv ? { convention: sig.kv.convention, layers: sig.kv.convention === 'optimum' ? sig.kv.pastNames.length / 2 : sig.kv.pastNames.length, heads: sig.kv.heads, headDim: sig.kv.headDim, dtype: sig.kv.dtype } : null,
      vocabSize: model.vocabSize,
      tokenizerVocabSize: tok.vocabSize,
      contextLength: model.contextLength,
      addsBos: tok.addsBos,
      specialTokens: { bos: special(tok.bosId), eos: special(tok.eosId), pad: special(tok.padId) },
      scoringHead: model.opened.hasHead ? 'in-graph' : 'JavaScript log-softmax',
      threads: model.opened.threads,
      fingerprint: model.fingerprint,
      ...describeSignature(model.opened.session),
    };
    if (values.json) return io.out(JSON.stringify(info, null, 2));
    const kv = info.kvCache ? `${info.kvCache.convention} (${info.kvCache.layers} layers, ${info.kvCache.heads} heads x ${info.kvCache.headDim}, ${info.kvCache.dtype})` : 'none';
    const sp = (s: { id: number; text: string } | null) => (s ? `${s.id} ${JSON.stringify(s.text)}` : '-');
    io.out(
      [
        `model         ${info.model}`,
        `folder        ${info.folder}`,
        `layout        ${info.layout}`,
        `graph         ${info.graph}${info.externalData.length ? ` (+ ${info.externalData.join(', ')})` : ''}`,
        `tokenizer     ${info.tokenizer}`,
        `dtype         ${info.dtype} (logits ${info.logits})`,
        `kv cache      ${kv}`,
        `vocab         ${info.vocabSize} (tokenizer ${info.tokenizerVocabSize})`,
        `context       ${info.contextLength}`,
        `special       bos ${sp(info.specialTokens.bos)}, eos ${sp(info.specialTokens.eos)}, pad ${sp(info.specialTokens.pad)}; BOS added: ${info.addsBos ? 'yes' : 'no'}`,
        `scoring       ${info.scoringHead}, ${info.threads} threads`,
        `inputs        ${info.inputs}`,
        `outputs       ${info.outputs}`,
        `fingerprint   ${info.fingerprint}`,
      ].join('\n'),
    );
  } finally {
    await model.close();
  }
}
