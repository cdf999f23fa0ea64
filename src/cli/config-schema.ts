/**
 * The audit configuration's keys as data: one table drives validation of contam.config.yaml, the
 * committed JSON Schema (schema/contam.config.schema.json) and the messages naming valid values.
 */
import type { AuditConfig } from '../audit/types.js';
import { TASKS } from '../benchmarks/tasks/registry.js';

export type FieldKind =
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'integer'; min: number }
  | { type: 'number'; min: number; max: number; exclusiveMin?: boolean }
  | { type: 'boolean' }
  | { type: 'strings' }
  | { type: 'thresholds' }
  | { type: 'benchmarks' }
  | { type: 'cache' }
  | { type: 'model' }
  | { type: 'object'; fields: readonly Field[] };

export interface Field {
  readonly key: string;
  readonly kind: FieldKind;
  readonly description: string;
}

export const ONNX_FIELDS: readonly Field[] = [
  { key: 'dtype', kind: { type: 'enum', values: ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] }, description: 'Which ONNX file variant to load (transformers.js layout).' },
  { key: 'batchSize', kind: { type: 'integer', min: 1 }, description: 'Most sequences per forward pass.' },
  { key: 'threads', kind: { type: 'integer', min: 1 }, description: "onnxruntime threads per model (default every core, or half each when the models run side by side)." },
  { key: 'sideBySide', kind: { type: 'boolean' }, description: 'Two local models run at the same time, each on half the cores (default true on 2+ cores; results are identical either way).' },
];

export const REMOTE_FIELDS: readonly Field[] = [
  { key: 'concurrency', kind: { type: 'integer', min: 1 }, description: 'Requests in flight per server (default 8).' },
  { key: 'timeout', kind: { type: 'number', min: 0, max: 86400, exclusiveMin: true }, description: 'Seconds one request may take before it is retried (default 300).' },
  { key: 'retries', kind: { type: 'integer', min: 0 }, description: 'Retries of a request on 429, 5xx, resets, timeouts and malformed answers (default 8).' },
  { key: 'retryDelay', kind: { type: 'number', min: 0, max: 600 }, description: 'First back-off in seconds, doubled per retry with jitter (default 0.5).' },
];

export const MODEL_KEYS = ['path', 'url', 'model', 'apiKeyEnv', 'tokenizer', 'name'] as const;

export const CONFIG_FIELDS = [
  {
    key: 'target',
    kind: { type: 'model' },
    description: 'Model being audited: a local ONNX export folder, a Hugging Face id in the local hub cache, or an engine URL (http://host:8000/v1 or {url, model, apiKeyEnv, tokenizer}).',
  },
  { key: 'reference', kind: { type: 'model' }, description: 'Reference model believed clean on the benchmarks; it also writes the neighbours. Same forms as target.' },
  { key: 'benchmarks', kind: { type: 'benchmarks' }, description: 'Benchmarks to audit: a list of {name, task, path, split, options}, or a map name -> path.' },
  { key: 'samples', kind: { type: 'integer', min: 1 }, description: 'Samples per benchmark (all rows when fewer).' },
  { key: 'seed', kind: { type: 'integer', min: 0 }, description: 'Seed for sample choice, neighbour sampling and bootstraps.' },
  { key: 'sampling', kind: { type: 'enum', values: ['seeded', 'python-compat'] }, description: "How samples are picked: seeded hashing, or Python's random.shuffle as the upstream tool." },
  { key: 'detectors', kind: { type: 'strings' }, description: 'Detector specs, e.g. loss, min-k:k=0.2, min-k-plus-plus.' },
  { key: 'neighbours', kind: { type: 'integer', min: 1 }, description: 'Neighbours sampled per sample (M).' },
  { key: 'prefixRatio', kind: { type: 'number', min: 0, max: 1, exclusiveMin: true }, description: 'Fraction of words kept as the neighbour prefix.' },
  { key: 'cut', kind: { type: 'number', min: 0, max: 1, exclusiveMin: true }, description: 'A sample is flagged when its rank s < cut.' },
  { key: 'mode', kind: { type: 'enum', values: ['fixed', 'compat'] }, description: 'compat reproduces the upstream tool with its quirks; fixed removes them.' },
  { key: 'earlyStop', kind: { type: 'boolean' }, description: 'Stop drawing neighbours once every flag is decided (flags are unchanged).' },
  { key: 'thresholds', kind: { type: 'thresholds' }, description: "The absolute (upstream) reading: thresholds on the target's share; the verdict in compat mode." },
  { key: 'margins', kind: { type: 'thresholds' }, description: 'The relative reading: margins on target share minus control share; the verdict in fixed mode (default 0.05 suspicious, 0.10 contaminated).' },
  { key: 'failOn', kind: { type: 'enum', values: ['contaminated', 'suspicious', 'never'] }, description: 'Exit with 100 when a benchmark reaches this verdict.' },
  { key: 'strict', kind: { type: 'boolean' }, description: 'Stop at the first bad data row instead of skipping and counting it.' },
  { key: 'cache', kind: { type: 'cache' }, description: 'Per-sample result cache: {enabled, dir}.' },
  { key: 'outputs', kind: { type: 'strings' }, description: 'Report files; the format comes from the extension (.json, .jsonl, .md).' },
  { key: 'outDir', kind: { type: 'string' }, description: 'Folder for results.json, samples.jsonl, report.md and charts (default reports/<timestamp>-<target>/).' },
  { key: 'onnx', kind: { type: 'object', fields: ONNX_FIELDS }, description: 'Options of local ONNX models: {dtype, batchSize, threads, sideBySide}.' },
  { key: 'remote', kind: { type: 'object', fields: REMOTE_FIELDS }, description: 'Options of models served by an engine: {concurrency, timeout, retries, retryDelay}.' },
] as const satisfies readonly Field[];

/**
 * The table and the AuditConfig type describe one thing: a key in one and not the other fails to
 * compile here (defaultDetectors is set by the resolver, never written by a user).
 */
type TableKeys = (typeof CONFIG_FIELDS)[number]['key'];
type ConfigKeys = Exclude<keyof AuditConfig, 'defaultDetectors'>;
export const TABLE_MATCHES_CONFIG: [TableKeys] extends [ConfigKeys] ? ([ConfigKeys] extends [TableKeys] ? true : never) : never = true;

/** The JSON Schema written to schema/contam.config.schema.json for editor completion. */
export function jsonSchema(): Record<string, unknown> {
  const prop = (kind: FieldKind): Record<string, unknown> => {
    switch (kind.type) {
      case 'string':
        return { type: 'string' };
      case 'enum':
        return { enum: kind.values };
      case 'integer':
        return { type: 'integer', minimum: kind.min };
      case 'number':
        return { type: 'number', ...(kind.exclusiveMin ? { exclusiveMinimum: kind.min } : { minimum: kind.min }), maximum: kind.max };
      case 'boolean':
        return { type: 'boolean' };
      case 'strings':
        return { type: 'array', items: { type: 'string' } };
      case 'thresholds':
        return { type: 'object', additionalProperties: false, properties: { suspicious: { type: 'number', minimum: 0, maximum: 1 }, contaminated: { type: 'number', minimum: 0, maximum: 1 } } };
      case 'cache':
        return { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' }, dir: { type: 'string' } } };
      case 'model':
        return {
          oneOf: [
            { type: 'string' },
            {
              type: 'object',
              additionalProperties: false,
              properties: Object.fromEntries(MODEL_KEYS.map((k) => [k, { type: 'string' }])),
              oneOf: [{ required: ['path'] }, { required: ['url'] }],
            },
          ],
        };
      case 'object':
        return { type: 'object', additionalProperties: false, properties: Object.fromEntries(kind.fields.map((f) => [f.key, { description: f.description, ...prop(f.kind) }])) };
      case 'benchmarks': {
        const item = {
          type: 'object',
          required: ['path'],
          additionalProperties: false,
          properties: {
            name: { type: 'string' },
            task: { enum: TASKS.map((t) => t.name) },
            path: { type: 'string' },
            split: { type: 'string' },
            options: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
          },
        };
        return { oneOf: [{ type: 'array', items: item }, { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, item] } }] };
      }
    }
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://contam.dev/schema/contam.config.schema.json',
    title: 'contam audit configuration (contam.config.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(CONFIG_FIELDS.map((f) => [f.key, { description: f.description, ...prop(f.kind) }])),
  };
}
