import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeAuditFixture, type AuditFixture } from '../helpers/audit-fixture.js';
import { runCli } from './cli.js';

describe('contam cache info|clear', () => {
  let fx: AuditFixture;
  const cache = mkdtempSync(join(tmpdir(), 'contam-cache-cli-'));
  beforeAll(async () => {
    fx = await writeAuditFixture(mkdtempSync(join(tmpdir(), 'contam-cache-fx-')), { rows: 3 });
    const run = runCli(['audit', '--target', fx.target, '--reference', fx.reference, '-b', `gsm8k=${fx.gsm8k}`, '--neighbours', '10', '--fail-on', 'never', '--cache-dir', cache, '--out-dir', join(cache, '..', 'out-cache-cli')]);
    expect(run.code).toBe(0);
  }, 120_000);

  it('info counts the records an audit left, per --cache-dir and CONTAM_CACHE_DIR alike', () => {
    const info = runCli(['cache', 'info', '--cache-dir', cache]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(new RegExp(`^cache ${cache}: 3 records in 1 file, \\d+\\.\\d MB\\n$`));
    expect(runCli(['cache', 'info'], { env: { CONTAM_CACHE_DIR: cache } }).stdout).toBe(info.stdout);
  });

  it('clear removes them, and an audit afterwards computes again', () => {
    expect(runCli(['cache', 'clear', '--cache-dir', cache]).stdout).toMatch(new RegExp(`^cache ${cache}: removed 1 file, `));
    expect(runCli(['cache', 'info', '--cache-dir', cache]).stdout).toBe(`cache ${cache}: 0 records in 0 files, 0.0 MB\n`);
  });

  it('rejects an unknown action with the valid ones', () => {
    expect(runCli(['cache', 'purge'])).toMatchObject({ code: 1, stderr: 'contam: contam cache: expected "info" or "clear", found "purge"\n' });
  });
});
