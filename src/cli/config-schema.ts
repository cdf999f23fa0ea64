/**
 * The audit configuration's keys as data: one table drives validation of contam.config.yaml, the
 * committed JSON Schema (schema/contam.config.schema.json) and the messages naming valid values.
 */
export type FieldKind =
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'integer'; min: number }
  | { type: 'number'; min: number; max: number; exclusiveMin?: boolean }
  | { type: 'boolean' }
  | { type: 'strings' }
  | { type: 'thresholds' }
  | { type: 'benchmarks' }
  | { type: 'cache' };

export interface Field {
  readonly key: string;
  readonly kind: FieldKind;
  readonly description: string;
}

export const CONFIG_FIELDS: readonly Field[] = [
  { key: 'target', kind: { type: 'string' }, description: 'Model being audited: a local ONNX export folder or a Hugging Face id in the local hub cache.' },
  { key: 'reference', kind: { type: 'string' }, description: 'Reference model believed clean on the benchmarks; it also writes the neighbours.' },
  { key: 'dtype', kind: { type: 'enum', values: ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] }, description: 'Which ONNX file variant to load (transformers.js layout).' },
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
  { key: 'thresholds', kind: { type: 'thresholds' }, description: 'Verdict thresholds on the contamination share.' },
  { key: 'failOn', kind: { type: 'enum', values: ['contaminated', 'suspicious', 'never'] }, description: 'Exit with 100 when a benchmark reaches this verdict.' },
  { key: 'strict', kind: { type: 'boolean' }, description: 'Stop at the first bad data row instead of skipping and counting it.' },
  { key: 'cache', kind: { type: 'cache' }, description: 'Per-sample result cache: {enabled, dir}.' },
  { key: 'outputs', kind: { type: 'strings' }, description: 'Report files; the format comes from the extension (.json, .jsonl, .md).' },
  { key: 'outDir', kind: { type: 'string' }, description: 'Folder for results.json, samples.jsonl, report.md and charts (default reports/<timestamp>-<target>/).' },
  { key: 'batchSize', kind: { type: 'integer', min: 1 }, description: 'Most sequences per forward pass.' },
];

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
      case 'benchmarks': {
        const item = {
          type: 'object',
          required: ['path'],
          additionalProperties: false,
          properties: {
            name: { type: 'string' },
            task: { enum: ['arc', 'mmlu', 'truthfulqa', 'gsm8k', 'hellaswag', 'winogrande', 'custom'] },
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
