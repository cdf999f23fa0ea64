/** contam list benchmarks|detectors */
import { listTasks } from '../../benchmarks/load.js';
import { listDetectors } from '../../detectors/registry.js';
import { FatalError } from '../../errors.js';
import { parse, stdio, type Output } from '../args.js';

export const help = `Usage: contam list benchmarks|detectors [--json]

Examples:
  contam list benchmarks
  contam list detectors --json`;

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values, positionals } = parse('list', argv, { json: { type: 'boolean' } });
  if (values.help) return io.out(help);
  const what = positionals[0];
  if (what === 'benchmarks') {
    const tasks = listTasks();
    if (values.json) return io.out(JSON.stringify(tasks, null, 2));
    const width = Math.max(...tasks.map((t) => t.name.length));
    for (const t of tasks) io.out(`${t.name.padEnd(width)}  v${t.version}  ${t.defaultSplit.padEnd(10)}  ${t.describe}`);
    return;
  }
  if (what === 'detectors') {
    const detectors = listDetectors().map((d) => ({ id: d.id, summary: d.summary, defaults: d.defaults, version: d.create(d.defaults).version }));
    if (values.json) return io.out(JSON.stringify(detectors, null, 2));
    const width = Math.max(...detectors.map((d) => d.id.length));
    for (const d of detectors) {
      const params = Object.entries(d.defaults).map(([k, v]) => `${k}=${v}`).join(',');
      io.out(`${d.id.padEnd(width)}  v${d.version}  ${d.summary}${params ? ` (default ${params})` : ''}`);
    }
    return;
  }
  throw new FatalError(`contam list: expected "benchmarks" or "detectors", found ${what === undefined ? 'nothing' : JSON.stringify(what)}`);
}
