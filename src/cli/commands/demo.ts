/** contam demo: placeholder until the demo models land (the CLI lists the verb already). */
import { FatalError } from '../../errors.js';
import { parse, stdio, type Output } from '../args.js';

export const help = `Usage: contam demo

Builds a tiny contaminated target and a clean reference model and audits them.`;

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values } = parse('demo', argv, {});
  if (values.help) return io.out(help);
  throw new FatalError('contam demo is not available in this build');
}
