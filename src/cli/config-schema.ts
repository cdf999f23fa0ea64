/**
 * contam.config.yaml as one zod schema: the audit's settings (src/audit/config-schema.ts) plus the
 * `overlap:` block. Validation, the valid keys and the committed JSON Schema
 * (schema/contam.config.schema.json, rewritten by `npm run schema`) all come from here.
 */
import * as z from 'zod';
import { AUDIT_SHAPE } from '../audit/config-schema.js';
import { OVERLAP_BLOCK } from './config-overlap-schema.js';

export { DEFAULTS } from '../audit/config-schema.js';

export const CONFIG_SHAPE = { ...AUDIT_SHAPE, overlap: OVERLAP_BLOCK.optional() };

/** The top-level keys a file may hold, in the order messages list them. */
export type ConfigKey = keyof typeof CONFIG_SHAPE;
export const CONFIG_KEYS = Object.keys(CONFIG_SHAPE) as ConfigKey[];

export const CONFIG_FILE_SCHEMA = z.strictObject(CONFIG_SHAPE);

/** The JSON Schema for editor completion: what a file may be written as (zod's input side). */
export function jsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(CONFIG_FILE_SCHEMA, { io: 'input', target: 'draft-7' });
  // Every key is optional in a file: flags may give the models and benchmarks.
  const { $schema, required: _required, ...rest } = generated;
  return {
    $schema,
    $id: 'https://contam.dev/schema/contam.config.schema.json',
    title: 'contam configuration (contam.config.yaml)',
    ...rest,
  };
}
