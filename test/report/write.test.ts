import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FatalError } from '../../src/errors.js';
import { nodeIo, type ReportIo } from '../../src/report/atomic.js';
import { defaultReportDir, reportFormat, writeReports } from '../../src/report/write.js';
import { fixtureResults, fixtureSamples } from './fixture-results.js';

const samples = fixtureSamples(fixtureResults, 5);
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'contam-report-'));
});

function caught(fn: () => unknown): FatalError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FatalError);
    return error as FatalError;
  }
  throw new Error('expected a FatalError');
}

/** An io whose writes put half the content on disk and then fail like a full disk. */
const diskFull: ReportIo = {
  ...nodeIo,
  writeChunks(path, chunks) {
    const text = [...chunks].join('');
    writeFileSync(path, text.slice(0, Math.floor(text.length / 2)));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  },
};

describe('writeReports, default folder', () => {
  it('writes results.json, samples.jsonl, report.md and one chart per benchmark and detector', () => {
    const out = join(dir, 'run');
    const written = writeReports(fixtureResults, samples, { dir: out });
    expect(written.map((p) => p.slice(out.length + 1))).toEqual([
      'charts/arc.svg', 'charts/arc.min-k-k-0.2.svg', 'charts/gsm8k.svg', 'charts/gsm8k.min-k-k-0.2.svg',
      'charts/my-bench-x-script-alert-1-script-line2-31mred-0m.svg', 'charts/my-bench-x-script-alert-1-script-line2-31mred-0m.min-k-k-0.2.svg',
      'samples.jsonl', 'results.json', 'report.md',
    ]);
    const json = readFileSync(join(out, 'results.json'), 'utf8');
    expect(JSON.parse(json)).toEqual(fixtureResults);
    expect(json.startsWith('{\n  "schemaVersion": 3,\n  "tool": {\n    "name": "contam",')).toBe(true);
    expect(json.endsWith('}\n')).toBe(true);
    const lines = readFileSync(join(out, 'samples.jsonl'), 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(samples);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('](charts/arc.svg)');
    expect(readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('names the default folder after the start time and the target', () => {
    expect(defaultReportDir(fixtureResults)).toBe(join('reports', '20250131-091502-SOLAR-10.7B-Instruct-v1.0'));
  });
});

describe('writeReports, explicit outputs', () => {
  it('writes only the requested files, format from the extension', () => {
    const paths = [join(dir, 'r.JSON'), join(dir, 'sub/s.jsonl'), join(dir, 'notes.md')];
    expect(writeReports(fixtureResults, samples, { outputs: paths })).toEqual(paths);
    expect(JSON.parse(readFileSync(paths[0], 'utf8'))).toEqual(fixtureResults);
    expect(readFileSync(paths[1], 'utf8').split('\n')).toHaveLength(samples.length + 1);
    expect(readFileSync(paths[2], 'utf8')).not.toContain('charts/');
    expect(readdirSync(dir).sort()).toEqual(['notes.md', 'r.JSON', 'sub']);
  });

  it('rejects an unknown extension before writing anything, naming it and the valid ones', () => {
    const error = caught(() => writeReports(fixtureResults, samples, { outputs: [join(dir, 'ok.json'), join(dir, 'x.csv')] }));
    expect(error.message).toBe(`cannot tell the report format of ${join(dir, 'x.csv')}: extension ".csv"; valid extensions are .json, .jsonl, .md`);
    expect(readdirSync(dir)).toEqual([]);
    expect(caught(() => reportFormat('report')).message).toBe(
      'cannot tell the report format of report: no extension; valid extensions are .json, .jsonl, .md',
    );
  });
});

describe('atomic writes', () => {
  it('fails with a FatalError naming the path when a parent is not a folder (/dev/null/x)', () => {
    const error = caught(() => writeReports(fixtureResults, samples, { outputs: ['/dev/null/x/results.json'] }));
    expect(error.message).toBe('cannot write report to /dev/null/x/results.json: a part of the path is a file, not a folder (ENOTDIR)');
    expect(error.exitCode).toBe(1);
  });

  it('fails the same way under a regular file, leaving nothing behind', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const error = caught(() => writeReports(fixtureResults, samples, { dir: join(dir, 'file', 'run') }));
    expect(error.message).toBe(`cannot write report to ${join(dir, 'file/run/charts/arc.svg')}: a part of the path is a file, not a folder (ENOTDIR)`);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('removes the half-written temp file when the disk fills mid-way, so no final file exists', () => {
    const target = join(dir, 'results.json');
    const error = caught(() => writeReports(fixtureResults, samples, { outputs: [target], io: diskFull }));
    expect(error.message).toBe(`cannot write report to ${target}: no space left on the device (ENOSPC)`);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps a previous complete report intact when rewriting it fails', () => {
    const target = join(dir, 'report.md');
    writeFileSync(target, 'previous complete report\n');
    caught(() => writeReports(fixtureResults, samples, { outputs: [target], io: diskFull }));
    expect(readFileSync(target, 'utf8')).toBe('previous complete report\n');
    expect(readdirSync(dir)).toEqual(['report.md']);
  });

  it('cleans up when the final rename fails', () => {
    const io: ReportIo = { ...nodeIo, rename: () => { throw Object.assign(new Error('EXDEV: cross-device link'), { code: 'EXDEV' }); } };
    const target = join(dir, 's.jsonl');
    const error = caught(() => writeReports(fixtureResults, samples, { outputs: [target], io }));
    expect(error.message).toBe(`cannot write report to ${target}: EXDEV: cross-device link`);
    expect(readdirSync(dir)).toEqual([]);
  });
});
