/** contam validate [config]: check a configuration without running anything. */
import { FatalError } from '../../errors.js';
import { parse, stdio, type Output } from '../args.js';
import { CONFIG_FILE, findConfigFile, readConfigFile, resolveConfig } from '../config.js';

export const help = `Usage: contam validate [config]

Checks contam.config.yaml (or the given file): YAML syntax, every key and value, detector specs
and thresholds. Prints "ok" and the resolved settings, or one line naming the file, the key,
what was found and what is valid (exit 1).

Examples:
  contam validate
  contam validate audits/release.yaml`;

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values, positionals } = parse('validate', argv, { json: { type: 'boolean' } });
  if (values.help) return io.out(help);
  const file = findConfigFile(positionals[0]);
  if (!file) throw new FatalError(`contam validate: no ${CONFIG_FILE} in this folder; pass a config file`);
  const partial = readConfigFile(file);
  // Model and benchmark presence are checked only when the file claims to be complete.
  const complete = 'target' in partial && 'reference' in partial && 'benchmarks' in partial;
  const resolved = complete ? resolveConfig(partial, {}) : partial;
  if (values.json) return io.out(JSON.stringify(resolved, null, 2));
  io.out(`${file}: ok${complete ? '' : ' (target, reference or benchmarks left to flags)'}`);
}
