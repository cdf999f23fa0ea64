/** contam cache info|clear */
import { resolveCacheDir } from '../../cache/dir.js';
import { openCache } from '../../cache/store.js';
import { FatalError } from '../../errors.js';
import { parse, stdio, type Output } from '../args.js';

export const help = `Usage: contam cache info|clear [--cache-dir DIR]

The per-sample cache lives in --cache-dir, else $CONTAM_CACHE_DIR, else $XDG_CACHE_HOME/contam,
else ~/.cache/contam. Records are keyed by model fingerprints, detector versions and parameters,
mode, seed, neighbour settings and the text's hash, so a cached number is reused only when
nothing that changes it differs.

Examples:
  contam cache info
  contam cache clear --cache-dir /tmp/contam-cache`;

export async function run(argv: string[], io: Output = stdio): Promise<void> {
  const { values, positionals } = parse('cache', argv, { 'cache-dir': { type: 'string' } });
  if (values.help) return io.out(help);
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const cache = openCache(resolveCacheDir({ override: values['cache-dir'] }));
  const what = positionals[0];
  if (what === 'info') {
    const info = cache.info();
    io.out(`cache ${info.dir}: ${info.records} records in ${files(info.files)}, ${(info.bytes / 1e6).toFixed(1)} MB${info.corruptLines ? `, ${info.corruptLines} damaged lines (ignored)` : ''}`);
  } else if (what === 'clear') {
    const removed = cache.clear();
    io.out(`cache ${cache.dir}: removed ${files(removed.files)}, ${(removed.bytes / 1e6).toFixed(1)} MB`);
  } else {
    throw new FatalError(`contam cache: expected "info" or "clear", found ${what === undefined ? 'nothing' : JSON.stringify(what)}`);
  }
  cache.close();
}
