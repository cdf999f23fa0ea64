/**
 * Benchmark model folders, generated once with the fixture writer and reused across runs.
 * Each folder is in transformers.js layout (config and tokenizer at the top, weights in onnx/), which
 * contam's resolver also accepts, so both runtimes load the very same files:
 *
 *   <cache>/<name>/config.json, generation_config.json, tokenizer.json, tokenizer_config.json
 *   <cache>/<name>/onnx/model.onnx + model.onnx.data
 *
 * When ../shared/data/tokenizers/gpt2/tokenizer.json exists it is copied in at run time (never
 * committed), so texts are tokenized with real GPT-2 BPE; otherwise the fixture's word tokenizer stays.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGpt2Fixture } from '../test/fixtures/gpt2-fixture.js';

export interface BenchModelSpec {
  readonly name: string;
  readonly layers: number;
  readonly width: number;
  readonly heads: number;
  readonly vocab: number;
  readonly context: number;
}

export const GPT2_SMALL: BenchModelSpec = { name: 'gpt2-small', layers: 12, width: 768, heads: 12, vocab: 50257, context: 1024 };
export const GPT2_MINI: BenchModelSpec = { name: 'gpt2-mini', layers: 4, width: 256, heads: 4, vocab: 50257, context: 1024 };

export interface BenchModel {
  readonly spec: BenchModelSpec;
  readonly dir: string;
  readonly onnxPath: string;
  /** model.onnx + model.onnx.data, bytes. */
  readonly fileBytes: number;
  readonly tokenizer: 'gpt2-bpe' | 'fixture-words';
  readonly endOfTextId: number;
  readonly generatedNow: boolean;
  readonly generateMs: number;
}

/** Parameters outside wte/wpe: per layer 12·E² (attn 4E², mlp 8E²) plus biases and LayerNorms, plus the final LayerNorm. */
export function nonEmbeddingParams(spec: BenchModelSpec): number {
  const e = spec.width;
  const perLayer = 12 * e * e + 13 * e; // c_attn 3E²+3E, c_proj E²+E, c_fc 4E²+4E, mlp c_proj 4E²+E, two LayerNorms 4E
  return spec.layers * perLayer + 2 * e;
}

/** Forward FLOPs per scored position with T keys attended: 2·N + 2·E·V + 4·L·T·E (QKᵀ and AV). */
export function flopsPerPosition(spec: BenchModelSpec, keys: number): number {
  return 2 * nonEmbeddingParams(spec) + 2 * spec.width * spec.vocab + 4 * spec.layers * keys * spec.width;
}

export function sharedDataDir(): string {
  return resolve(process.env.CONTAM_SHARED_DATA ?? join(process.cwd(), '..', 'shared', 'data'));
}

function gpt2TokenizerPath(): string | undefined {
  const path = join(sharedDataDir(), 'tokenizers', 'gpt2', 'tokenizer.json');
  return existsSync(path) ? path : undefined;
}

const GPT2_EOT = 50256;

/** Real GPT-2 tokenizer files and special ids (the fixture config says id 0, its own word vocabulary's). */
function installGpt2Tokenizer(dir: string, source: string, context: number): void {
  copyFileSync(source, join(dir, 'tokenizer.json'));
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    `${JSON.stringify(
      {
        tokenizer_class: 'GPT2Tokenizer',
        bos_token: '<|endoftext|>',
        eos_token: '<|endoftext|>',
        unk_token: '<|endoftext|>',
        // transformers.js pads batches only when the tokenizer has a pad token (performance-notes.md).
        pad_token: '<|endoftext|>',
        add_bos_token: false,
        clean_up_tokenization_spaces: false,
        model_max_length: context,
      },
      null,
      2,
    )}\n`,
  );
  const special = { bos_token_id: GPT2_EOT, eos_token_id: GPT2_EOT, pad_token_id: GPT2_EOT };
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ ...config, ...special }, null, 2)}\n`);
  writeFileSync(join(dir, 'generation_config.json'), `${JSON.stringify(special, null, 2)}\n`);
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** The modules that decide a generated model's graph and weights (bench/ and dist-bench/bench/ alike). */
const GENERATOR = ['../test/fixtures/gpt2-fixture', '../test/fixtures/gpt2-graph', '../test/fixtures/gpt2-weights', '../test/fixtures/prng', '../src/util/random', '../src/onnx/graph-builder', '../src/onnx/fixture-tokenizer'];

/**
 * A hash of the generator's code, kept in the folder's stamp beside the spec. The weights are
 * seeded, but the seed does not pin them across generator versions (the fixtures' move to
 * util/random.ts drew other weights from the same seed), and the workload rows depend on the
 * weights: on ARC, MMLU, TruthfulQA and GSM8K, 3 items each (2026-12-07), the same code scored 660
 * neighbours with models from today's generator and 1,180 with the one before that move, because
 * neighbour lengths and early stopping follow what the models say. A folder from another version
 * used to be reused silently; now it is written again.
 */
function generatorHash(): string {
  const hash = createHash('sha256');
  for (const module of GENERATOR) {
    const js = fileURLToPath(new URL(`${module}.js`, import.meta.url));
    hash.update(readFileSync(existsSync(js) ? js : fileURLToPath(new URL(`${module}.ts`, import.meta.url))));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Writes the model once (reused while its spec and generator are unchanged); installs the tokenizer every run. */
export async function prepareModel(cacheDir: string, spec: BenchModelSpec, log: (line: string) => void = () => {}): Promise<BenchModel> {
  const dir = join(cacheDir, spec.name);
  const onnxDir = join(dir, 'onnx');
  const stamp = join(dir, 'bench-model.json');
  const wanted = JSON.stringify({ ...spec, generator: generatorHash() });
  let generatedNow = false;
  let generateMs = 0;
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted) {
    log(`generating ${spec.name} (${spec.layers} layers, ${spec.width} wide, vocab ${spec.vocab}) into ${dir} ...`);
    const started = performance.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const fixture = await writeGpt2Fixture(onnxDir, {
      layers: spec.layers,
      width: spec.width,
      heads: spec.heads,
      vocab: spec.vocab,
      context: spec.context,
      externalData: true,
      kvConvention: 'optimum',
    });
    // Config and tokenizer files sit above onnx/, where transformers.js looks for them.
    for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      renameSync(join(fixture.dir, f), join(dir, f));
    }
    writeFileSync(join(dir, 'fixture-tokenizer.json'), readFileSync(join(dir, 'tokenizer.json')));
    writeFileSync(join(dir, 'fixture-tokenizer_config.json'), readFileSync(join(dir, 'tokenizer_config.json')));
    writeFileSync(join(dir, 'fixture-config.json'), readFileSync(join(dir, 'config.json')));
    writeFileSync(stamp, wanted);
    generatedNow = true;
    generateMs = performance.now() - started;
  }
  const source = gpt2TokenizerPath();
  let tokenizer: BenchModel['tokenizer'];
  let endOfTextId: number;
  if (source) {
    copyFileSync(join(dir, 'fixture-config.json'), join(dir, 'config.json'));
    installGpt2Tokenizer(dir, source, spec.context);
    tokenizer = 'gpt2-bpe';
    endOfTextId = GPT2_EOT;
  } else {
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'config.json']) copyFileSync(join(dir, `fixture-${f}`), join(dir, f));
    writeFileSync(join(dir, 'generation_config.json'), `${JSON.stringify({ bos_token_id: 0, eos_token_id: 0 }, null, 2)}\n`);
    tokenizer = 'fixture-words';
    endOfTextId = 0;
  }
  return { spec, dir, onnxPath: join(onnxDir, 'model.onnx'), fileBytes: folderBytes(onnxDir), tokenizer, endOfTextId, generatedNow, generateMs };
}
