/** Flag parsing on top of node:util parseArgs, with user-facing errors instead of stack traces. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FatalError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

const helpFlag = { help: { type: 'boolean', short: 'h' } } as const;

export function parse<T extends Options>(verb: string, argv: string[], options: T, allowPositionals = true) {
  try {
    const config = { args: argv, options: { ...options, ...helpFlag }, allowPositionals, strict: true as const };
    return parseArgs<typeof config>(config);
  } catch (error) {
    // Node's message may span lines (the "ambiguous" case's hint on how to pass -3 is on the third).
    const message = error instanceof Error ? error.message.split('\n').join(' ') : String(error);
    throw new FatalError(`contam ${verb}: ${message.replace(/\. To specify a positional argument.*$/, '')} (see contam ${verb} --help)`);
  }
}

export function intFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new FatalError(`${flag} ${value}: expected an integer >= ${min}`);
  return n;
}

export function numberFlag(value: string | undefined, flag: string, check: (n: number) => boolean, expected: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new FatalError(`${flag} ${value}: expected ${expected}`);
  return n;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const stdio: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
