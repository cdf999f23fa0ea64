/**
 * The kinds of value a config key takes, as zod schemas whose error text is what a one-line
 * message says is expected ("key "samples": expected an integer >= 1, found 0").
 */
import * as z from 'zod';

/** "a or b" for two, "one of a, b, c" for more: the wording the messages have always used. */
export function oneOf(values: readonly string[]): string {
  return values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
}

/** An object that rejects unknown keys, naming the valid ones. */
export function strict<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? oneOf(keys) : `{${keys.join(', ')}}`),
  });
}

export function count(min: number) {
  const expected = `an integer >= ${min}`;
  return z.int({ error: expected }).min(min, { error: expected });
}

export function fraction(min: number, max: number, exclusiveMin: boolean) {
  const expected = `a number in ${exclusiveMin ? '(' : '['}${min}, ${max}]`;
  const n = z.number({ error: expected });
  return (exclusiveMin ? n.gt(min, { error: expected }) : n.gte(min, { error: expected })).lte(max, { error: expected });
}

export function enumOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.join(', ')}` });
}

export const strings = z.array(z.string({ error: 'a list of strings' }), { error: 'a list of strings' });
