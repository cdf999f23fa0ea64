/** contam inspect <model>: what contam found in a model folder, before any audit uses it. */
import { parse, stdio, type Output } from '../args.js';
import { FatalError } from '../../errors.js';
import { openModel } from '../../models/onnx/open.js';
import { isUrl } from '../../models/registry.js';
import { openRemoteBackend, type RemoteBackend } from '../../models/remote/backend.js';
import { describeSignature } from '../../models/onnx/signature.js';

export const help = `Usage: contam inspect <model|url> [--dtype fp32|fp16|q8|...] [--model NAME] [--tokenizer FILE] [--json]

Shows how contam reads a model: the layout and files found, the ONNX inputs and outputs
with shapes, the KV-cache convention, dtype, vocabulary and context sizes, special tokens,
and the fingerprint (sha256 of weights + tokenizer files) that keys the cache.
<model> is a local folder or a Hugging Face model id already in the local hub cache.
For an engine URL (vLLM or another OpenAI-compatible server) it shows the served model,
max_model_len, the engine version, how many prompt log-probs per position it allows, the
capabilities contam derives from that, and, with --tokenizer, whether a local tokenizer.json
tokenizes like the server. The API key comes from CONTAM_API_KEY or OPENAI_API_KEY.

Examples:
  contam inspect ./models/gpt2-onnx
  contam inspect Xenova/gpt2 --dtype q8 --json
  contam inspect http://127.0.0.1:8000/v1 --tokenizer ./solar/tokenizer.json`;

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values, positionals } = parse('inspect', argv, { dtype: { type: 'string' }, model: { type: 'string' }, tokenizer: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return io.out(help);
  if (positionals.length !== 1) throw new FatalError('contam inspect: expected one model folder, hub id or URL (see contam inspect --help)');
  if (isUrl(positionals[0])) {
    const backend = await openRemoteBackend({ url: positionals[0], model: values.model, tokenizer: values.tokenizer }, {}, 'inspected');
    try {
      return inspectRemote(backend, !!values.json, io);
    } finally {
      await backend.close();
    }
  }
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
      scoringHead: model.opened.hasHead ? (model.opened.lmHeadMoved ? 'in-graph, with the LM head (no pass holds its whole logits)' : 'in-graph') : 'JavaScript log-softmax',
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

function inspectRemote(backend: RemoteBackend, json: boolean, io: Output): void {
  const p = backend.probe;
  const caps = backend.capabilities;
  const info = {
    url: p.baseUrl,
    model: p.model,
    served: p.served,
    engineVersion: p.engineVersion,
    maxModelLen: p.maxModelLen,
    maxLogprobs: p.maxLogprobs,
    vocabSize: p.vocabSize,
    tokenizer: p.tokenizer,
    apiKey: p.apiKey === 'none' ? 'none' : `from ${p.apiKeyEnv}`,
    capabilities: {
      promptLogprobs: true,
      fullDistribution: caps.distribution,
      detectors: caps.distribution ? 'all' : 'all but min-k-plus-plus',
      sampling: caps.samplingNote,
    },
    fingerprint: backend.info().fingerprint,
    weightsHashed: false,
  };
  if (json) return io.out(JSON.stringify(info, null, 2));
  const cap = p.maxLogprobs === -1 ? 'no cap (--max-logprobs -1)' : p.maxLogprobs === null ? 'unknown' : `${p.maxLogprobs} per position (--max-logprobs ${p.maxLogprobs})`;
  const tok =
    p.tokenizer.source === 'local'
      ? `local ${p.tokenizer.path}, matches the server on a probe text`
      : 'the server\'s /tokenize (pass --tokenizer FILE to check a local tokenizer.json against it)';
  io.out(
    [
      `url           ${p.baseUrl}`,
      `model         ${p.model}${p.served.length > 1 ? ` (serves ${p.served.join(', ')})` : ''}`,
      `engine        ${p.engineVersion ? `version ${p.engineVersion}` : 'version not reported'}`,
      `context       ${p.maxModelLen ?? 'not reported (2048 assumed)'}`,
      `vocab         ${p.vocabSize ?? 'not reported'}`,
      `log-probs     ${cap}`,
      `tokenizer     ${tok}; hash ${p.tokenizer.hash.slice(0, 16)}`,
      `api key       ${info.apiKey}`,
      `detectors     ${caps.distribution ? 'all (the whole next-token distribution is available)' : `all but min-k-plus-plus: ${caps.distributionHint}`}`,
      `neighbours    ${caps.samplingNote}`,
      `fingerprint   ${info.fingerprint} (URL, served model, context length, tokenizer; remote weights are not hashed)`,
    ].join('\n'),
  );
}
