/**
 * contam demo: a real audit on a fresh machine with nothing to download. Two tiny n-gram language
 * models are estimated from text written for the project; the target's training text also holds
 * one demo benchmark's items. The audit should catch exactly that.
 */
import { resolveCacheDir } from '../../cache/dir.js';
import type { AuditConfig } from '../../audit/types.js';
import { prepareDemo, type DemoSize } from '../../demo/prepare.js';
import { FatalError } from '../../errors.js';
import { parse, stdio, type Output } from '../args.js';
import { DEFAULTS } from '../config.js';
import { runAuditCommand } from './audit.js';

export const help = `Usage: contam demo [--size full|ci] [--out-dir DIR] [--json] [--no-cache]

Builds once (into the cache folder) a target and a reference n-gram language model as ONNX
graphs with a real tokenizer.json, both estimated from the same background text; the target's
training text also contains every item of demo-contaminated and 40% of demo-partial's items.
Then audits the three demo benchmarks (neighbour rank under loss, Min-K%, Min-K%++ and zlib,
with the control, and a labelled evaluation on demo-partial) and writes reports/demo/.

Examples:
  contam demo
  contam demo --size ci --out-dir /tmp/demo-report`;

export function demoConfig(demo: Awaited<ReturnType<typeof prepareDemo>>, cacheDir: string, options: { cache: boolean; outDir: string }): AuditConfig {
  return {
    ...DEFAULTS,
    target: { path: demo.targetDir, name: 'demo-target' },
    reference: { path: demo.referenceDir, name: 'demo-reference' },
    benchmarks: demo.benchmarks,
    // Every item the demo has, and no more: asking for 100 of 40 would only warn about the demo itself.
    samples: demo.itemsPerBenchmark,
    // lowercase is left out: the demo vocabulary is case-sensitive words, lowercased names become <unk>.
    detectors: ['loss', 'min-k', 'min-k-plus-plus', 'zlib'],
    // The demo is meant to find contamination: finding it is success, not a failed release check.
    failOn: 'never',
    cache: { enabled: options.cache, dir: cacheDir },
    outDir: options.outDir,
  };
}

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values } = parse('demo', argv, {
    size: { type: 'string' },
    'out-dir': { type: 'string' },
    json: { type: 'boolean' },
    'no-cache': { type: 'boolean' },
    'cache-dir': { type: 'string' },
  }, false);
  if (values.help) return io.out(help);
  const size = (values.size ?? 'full') as DemoSize;
  if (size !== 'full' && size !== 'ci') throw new FatalError(`--size ${values.size}: expected full or ci`);
  const cacheDir = resolveCacheDir({ override: values['cache-dir'] });
  const started = Date.now();
  const demo = await prepareDemo({ cacheDir, size });
  if (!values.json) io.err(`demo models ${demo.built ? `built in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'found'} in ${demo.dir}`);
  const config = demoConfig(demo, cacheDir, { cache: !values['no-cache'], outDir: values['out-dir'] ?? 'reports/demo' });
  process.exitCode = await runAuditCommand(config, { json: !!values.json, io });
}
