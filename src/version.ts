import { existsSync, readFileSync } from 'node:fs';

/**
 * The package version, read once from package.json so reports and --version agree. The nearest
 * package.json above this file: dist/version.js, or dist-bench/src/version.js for the bench build.
 */
function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    const url = new URL(up, import.meta.url);
    if (existsSync(url)) return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

export const version: string = packageVersion();
