/**
 * The audit's settings, described once. This zod schema is the single source of the AuditConfig
 * type, the defaults, the validation of contam.config.yaml and flags (each `error` text is the
 * "expected ..." of a one-line message), the keys the CLI knows and the committed JSON Schema.
 * It lives below the CLI because the audit consumes the type it derives.
 */
import * as z from 'zod';
import { TASKS } from '../benchmarks/tasks/registry.js';
import { parseDetectorSpec } from '../detectors/registry.js';
import { errorMessage } from '../errors.js';
import { isUrl, parseModelSpec, type ModelSpec } from '../models/registry.js';
import { DEFAULT_PREFIX_RATIO } from '../neighbours/plan.js';
import { DEFAULT_CUT } from '../neighbours/rank.js';
import { DEFAULT_MARGINS, DEFAULT_THRESHOLDS } from '../stats/verdict.js';
import { count, enumOf, fraction, strict, strings } from './config-kinds.js';

const MODEL_KEYS = ['path', 'url', 'model', 'apiKeyEnv', 'tokenizer', 'name'] as const;

const MODEL_FORMS = 'a folder, hub id or http(s):// URL, or {url, model, apiKeyEnv, tokenizer}';
const nonEmpty = z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' });

/** A folder, hub id or URL as a string, or {path} / {url, model, apiKeyEnv, tokenizer}. */
const modelObject = strict(Object.fromEntries(MODEL_KEYS.map((k) => [k, nonEmpty.optional()])) as Record<(typeof MODEL_KEYS)[number], z.ZodOptional<typeof nonEmpty>>)
  .superRefine((v, ctx) => {
    if ((v.path === undefined) === (v.url === undefined)) ctx.addIssue({ code: 'custom', message: 'exactly one of path (a local model) or url (a served model)', input: v });
    else if (v.url !== undefined && !isUrl(v.url)) ctx.addIssue({ code: 'custom', path: ['url'], message: 'an http:// or https:// URL such as http://127.0.0.1:8000/v1', input: v.url });
    // name labels reports for either kind (as --name does); the other keys describe a served model.
    else if (v.path !== undefined && (v.model ?? v.apiKeyEnv ?? v.tokenizer) !== undefined) ctx.addIssue({ code: 'custom', message: 'model, apiKeyEnv and tokenizer only with url', input: v });
  })
  // JSON Schema readers (editors) learn the path-or-url rule the refinement checks.
  .meta({ oneOf: [{ required: ['path'] }, { required: ['url'] }] });

// Descriptions go on the input side of a transform: that side is what the JSON Schema shows.
const model = (description: string) =>
  z
    .union([z.string().min(1, { error: MODEL_FORMS }), modelObject], { error: MODEL_FORMS })
    .describe(description)
    .transform((v): ModelSpec => (typeof v === 'string' ? parseModelSpec(v) : (v as ModelSpec)));

const taskNames = TASKS.map((t) => t.name) as [string, ...string[]];
const taskExpected = `one of ${taskNames.join(', ')}`;
const benchmarkItem = strict({
  name: z.string({ error: 'a benchmark name' }).min(1, { error: 'a benchmark name' }).optional(),
  task: z.enum(taskNames, { error: taskExpected }).optional(),
  path: z.string({ error: 'a file, folder or hub dataset id' }).min(1, { error: 'a file, folder or hub dataset id' }),
  split: z.string({ error: 'a split name such as test' }).optional(),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: 'a map of options' }), { error: 'a map of options' }).optional(),
});
const BENCHMARK_FORMS = 'a path or {name, task, path, split, options}';

/** Each benchmark as the audit reads it: a map entry's key is its name, and a name is its task unless told. */
const benchmarks = z
  .union([z.array(benchmarkItem), z.record(z.string(), z.union([z.string().min(1, { error: BENCHMARK_FORMS }), benchmarkItem], { error: BENCHMARK_FORMS }))], {
    error: 'a list or map of benchmarks',
  })
  .describe('Benchmarks to audit: a list of {name, task, path, split, options}, or a map name -> path.')
  .transform((value, ctx) => {
    const entries = Array.isArray(value)
      ? value.map((v, i) => ({ at: i as string | number, key: undefined, v }))
      : Object.entries(value).map(([key, v]) => ({ at: key as string | number, key, v: typeof v === 'string' ? { path: v } : v }));
    const specs: BenchmarkSpec[] = [];
    for (const { at, key, v } of entries) {
      const name = v.name ?? key;
      const task = v.task ?? name;
      if (name === undefined) ctx.addIssue({ code: 'custom', path: [at, 'name'], message: 'a benchmark name', input: v.name });
      else if (task === undefined || !taskNames.includes(task)) ctx.addIssue({ code: 'custom', path: [at, 'task'], message: taskExpected, input: task });
      else specs.push({ name, task, path: v.path, ...(v.split ? { split: v.split } : {}), ...(v.options ? { options: v.options } : {}) });
    }
    return specs as readonly BenchmarkSpec[];
  });

/** Thresholds and margins: a partial pair is completed from its defaults before the order is checked. */
function reading(defaults: { readonly suspicious: number; readonly contaminated: number }) {
  const share = fraction(0, 1, false).optional();
  return strict({ suspicious: share, contaminated: share })
    .transform((t) => ({ ...defaults, ...t }) as { readonly suspicious: number; readonly contaminated: number })
    .refine((t) => t.suspicious <= t.contaminated, { error: 'suspicious <= contaminated' })
    .default(defaults);
}

const detectors = strings.superRefine((specs, ctx) => {
  for (const spec of specs) {
    try {
      parseDetectorSpec(spec);
    } catch (error) {
      // The registry's message already says what is wrong and what is valid.
      ctx.addIssue({ code: 'custom', message: errorMessage(error), params: { verbatim: true } });
      return;
    }
  }
});

/** In file order: the order `contam validate` lists valid keys in. */
export const AUDIT_SHAPE = {
  target: model('Model being audited: a local ONNX export folder, a Hugging Face id in the local hub cache, or an engine URL (http://host:8000/v1 or {url, model, apiKeyEnv, tokenizer}).'),
  reference: model('Reference model believed clean on the benchmarks; it also writes the neighbours. Same forms as target.'),
  benchmarks,
  samples: count(1).default(100).describe('Samples per benchmark (all rows when fewer).'),
  seed: count(0).default(0).describe('Seed for sample choice, neighbour sampling and bootstraps.'),
  sampling: enumOf(['seeded', 'python-compat']).default('seeded').describe("How samples are picked: seeded hashing, or Python's random.shuffle as the upstream tool."),
  // loss first: the upstream statistic. `reference` is left out by default: its score favours the
  // original over neighbours the reference model itself wrote, whatever the target learned.
  detectors: detectors.default(['loss', 'zlib', 'lowercase', 'min-k', 'min-k-plus-plus']).describe('Detector specs, e.g. loss, min-k:k=0.2, min-k-plus-plus.'),
  neighbours: count(1).default(100).describe('Neighbours sampled per sample (M).'),
  prefixRatio: fraction(0, 1, true).default(DEFAULT_PREFIX_RATIO).describe('Fraction of words kept as the neighbour prefix.'),
  cut: fraction(0, 1, true).default(DEFAULT_CUT).describe('A sample is flagged when its rank s < cut.'),
  mode: enumOf(['fixed', 'compat']).default('fixed').describe('compat reproduces the upstream tool with its quirks; fixed removes them.'),
  earlyStop: z.boolean({ error: 'true or false' }).default(true).describe('Stop drawing neighbours once every flag is decided (flags are unchanged).'),
  thresholds: reading(DEFAULT_THRESHOLDS).describe("The absolute (upstream) reading: thresholds on the target's share; the verdict in compat mode."),
  margins: reading(DEFAULT_MARGINS).describe('The relative reading: margins on target share minus control share; the verdict in fixed mode (default 0 suspicious, 0.10 contaminated).'),
  failOn: enumOf(['contaminated', 'suspicious', 'never']).default('contaminated').describe('Exit with 100 when a benchmark reaches this verdict.'),
  strict: z.boolean({ error: 'true or false' }).default(false).describe('Stop at the first bad data row instead of skipping and counting it.'),
  // No default here: the folder is resolved (CONTAM_CACHE_DIR, XDG) when the whole config is.
  cache: strict({ enabled: z.boolean({ error: 'true or false' }).optional(), dir: z.string({ error: 'a folder path' }).optional() }).optional().describe('Per-sample result cache: {enabled, dir}.'),
  outputs: strings.default([]).describe('Report files; the format comes from the extension (.json, .jsonl, .md).'),
  outDir: nonEmpty.optional().describe('Folder for results.json, samples.jsonl, report.md and charts (default reports/<timestamp>-<target>/).'),
  // Defaults sit on the whole block: a key given in the file must survive a flag that sets another.
  onnx: strict({
    dtype: enumOf(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']).optional().describe('Which ONNX file variant to load (transformers.js layout).'),
    batchSize: count(1).optional().describe('Most sequences per forward pass (default 16).'),
    threads: count(1).optional().describe('onnxruntime threads per model (default every core).'),
    sideBySide: z.boolean({ error: 'true or false' }).optional().describe('Two local models run at the same time, each in its own worker thread on every core (default false; results are identical either way).'),
  })
    .default({ batchSize: 16 })
    .describe('Options of local ONNX models: {dtype, batchSize, threads, sideBySide}.'),
  remote: strict({
    concurrency: count(1).optional().describe('Requests in flight per server (default 8).'),
    timeout: fraction(0, 86400, true).optional().describe('Seconds a request may go without a byte from the server before it is retried (default 300).'),
    retries: count(0).optional().describe('Retries of a request on 429, 5xx, resets, timeouts and malformed answers (default 8).'),
    retryDelay: fraction(0, 600, false).optional().describe('First back-off in seconds, doubled per retry with jitter (default 0.5).'),
  })
    .default({ concurrency: 8, timeout: 300, retries: 8, retryDelay: 0.5 })
    .describe('Options of models served by an engine: {concurrency, timeout, retries, retryDelay}.'),
};

export type BenchmarkSpec = Readonly<z.output<typeof benchmarkItem> & { readonly name: string; readonly task: string }>;

type Settings = z.output<z.ZodObject<typeof AUDIT_SHAPE>>;

/** The resolved audit configuration: the schema's output, with what only the resolver decides. */
export type AuditConfig = Readonly<
  Omit<Settings, 'cache'> & {
    readonly cache: { readonly enabled: boolean; readonly dir: string };
    /** True when `detectors` is the default list: a backend may then drop one it cannot give (and the report says so). */
    readonly defaultDetectors?: boolean;
  }
>;

type Shape = typeof AUDIT_SHAPE;
type DefaultedKey = { [K in keyof Shape]: Shape[K] extends z.ZodDefault ? K : never }[keyof Shape];
export type AuditDefaults = { readonly [K in DefaultedKey]: AuditConfig[K] };

/** Every key with a default, read from the schema itself. */
export const DEFAULTS = Object.fromEntries(
  Object.entries(AUDIT_SHAPE).flatMap(([key, schema]) => (schema instanceof z.ZodDefault ? [[key, schema.parse(undefined)]] : [])),
) as AuditDefaults;
