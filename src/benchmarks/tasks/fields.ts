import { describeValue } from '../sources/describe-value.js';
import type { TextResult } from '../types.js';

/**
 * A row that cannot become a sample. Thrown by the field helpers and turned into
 * `{ skip }` by `guarded`, so adapters read as a straight line of field accesses.
 * Message shape: `field "answer": expected a string, found number 3`.
 */
export class RowProblem extends Error {}

export function problem(field: string, expected: string, found: unknown): RowProblem {
  return new RowProblem(`field "${field}": expected ${expected}, found ${describeValue(found)}`);
}

/** Reads a possibly dotted field (`question.stem`). */
export function get(row: Record<string, unknown>, field: string): unknown {
  let value: unknown = row;
  for (const key of field.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function str(row: Record<string, unknown>, field: string): string {
  const value = get(row, field);
  if (typeof value !== 'string') throw problem(field, 'a string', value);
  return value;
}

export function strArray(row: Record<string, unknown>, field: string): string[] {
  const value = get(row, field);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw problem(field, 'an array of strings', value);
  return value as string[];
}

export function obj(row: Record<string, unknown>, field: string): Record<string, unknown> {
  const value = get(row, field);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw problem(field, 'an object', value);
  return value as Record<string, unknown>;
}

/** An integer index given as a number or a numeric string ("2"), within [0, size). */
export function indexInto(row: Record<string, unknown>, field: string, size: number): number {
  const value = get(row, field);
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n >= size) {
    throw problem(field, `an integer 0-${size - 1} (index into ${size} choices)`, value);
  }
  return n;
}

export function has(row: Record<string, unknown>, field: string): boolean {
  return get(row, field) !== undefined;
}

/** Runs an adapter body, turning a RowProblem into the `{ skip }` value the loader counts. */
export function guarded(build: () => TextResult): TextResult {
  try {
    return build();
  } catch (error) {
    if (error instanceof RowProblem) return { skip: error.message };
    throw error;
  }
}
