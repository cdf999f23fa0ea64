/** Reading the JSON side files of a model folder (config.json, generation_config.json, genai_config.json). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError, errorMessage } from '../errors.js';

export type Json = Record<string, unknown>;

export function readOptionalJson(dir: string, name: string): Json | undefined {
  const path = join(dir, name);
  if (!existsSync(path)) return undefined;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
    throw new Error('expected a JSON object');
  } catch (error) {
    throw new FatalError(`${path}: not valid JSON (${errorMessage(error)})`);
  }
}

export function numberAt(json: Json | undefined, ...path: string[]): number | undefined {
  let value: unknown = json;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Json)[key];
  }
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  return undefined;
}

export function stringAt(json: Json | undefined, ...path: string[]): string | undefined {
  let value: unknown = json;
  for (const key of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Json)[key];
  }
  return typeof value === 'string' ? value : undefined;
}
