/**
 * `--write-clean DIR`: the corpus minus the records that contain a benchmark n-gram or whose task is
 * dropped, each kept unit written back byte for byte under the same relative file name (gzip files
 * are gzip again: their decompressed bytes are identical). With `--mask` a matched record is written
 * masked (mask.ts) instead of removed. A manifest lists every removed or masked record and why.
 * Writes wait for the stream to drain, so memory stays bounded.
 *
 * With `--shard i/N` each shard writes only its own records, under DIR/shard-i-of-N/, and leaves out
 * the blank lines between records (a text file's paragraphs each end with one blank line instead), so
 * concatenating the N shards' files gives exactly the records of an unsharded clean copy.
 */
import { createReadStream, createWriteStream, rmSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { dirname, join, relative, resolve } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { FatalError, errorMessage } from '../errors.js';
import { makeDirs } from '../util/make-dirs.js';
import type { CorpusFile } from './corpus-files.js';
import type { MaskRange } from './mask.js';

export const MANIFEST_NAME = 'contam-clean-manifest.json';

export interface Removal {
  readonly file: string;
  readonly line: number;
  readonly record: number;
  readonly reasons: readonly string[];
}

/** A record written with its matched spans masked: `masked` are code-point ranges of its text. */
export interface Masking {
  readonly file: string;
  readonly line: number;
  readonly record: number;
  readonly items: readonly string[];
  readonly masked: readonly MaskRange[];
}

export interface CleanOptions {
  readonly shard?: { readonly index: number; readonly count: number };
  /** Matched records are masked rather than removed (the scan decides per record; this names the manifest's list). */
  readonly mask?: boolean;
}

const MASKED_PART = '.contam-masked.part';

async function write(stream: Writable, chunk: Buffer | string, path: string): Promise<void> {
  // A stream that failed is destroyed: its error is reported by CleanWriter.check, and 'drain' would never come.
  if (stream.destroyed) return;
  if (!stream.write(chunk)) {
    await new Promise<void>((done, fail) => {
      const onError = (e: Error) => fail(new FatalError(`--write-clean: cannot write ${path} (${errorMessage(e)})`));
      const settle = () => {
        stream.off('error', onError);
        stream.off('drain', settle);
        stream.off('close', settle);
        done();
      };
      stream.once('error', onError);
      stream.once('drain', settle);
      // Destroyed after a failure elsewhere (the file under a gzip stream): CleanWriter.check reports it.
      stream.once('close', settle);
    });
  }
}

function finish(stream: Writable, sink: WriteStream, path: string): Promise<void> {
  if (sink.closed || sink.destroyed) return Promise.resolve();
  return new Promise((done, fail) => {
    sink.once('close', () => done());
    sink.once('error', (e) => fail(new FatalError(`--write-clean: cannot write ${path} (${errorMessage(e)})`)));
    stream.end();
  });
}

export class CleanWriter {
  private current?: { stream: Writable; sink: WriteStream; path: string };
  private readonly manifest: WriteStream;
  /** The first write error of any stream; streams report errors as events, checked at each call. */
  private failure?: { path: string; error: Error };
  private removedCount = 0;
  private maskedCount = 0;
  /** Masked entries wait in a side file so the manifest can list them after the removed ones without holding them in memory. */
  private readonly maskedPart?: WriteStream;
  private format: CorpusFile['format'] = 'jsonl';
  private readonly reasonCounts: Record<string, number> = { overlap: 0, task: 0 };
  readonly written: string[] = [];
  /** Where this run's files go: DIR, or DIR/shard-i-of-N for a shard. */
  readonly dir: string;

  constructor(
    readonly root: string,
    private readonly base: string,
    private readonly options: CleanOptions = {},
  ) {
    const shard = options.shard;
    this.dir = shard ? join(root, `shard-${shard.index}-of-${shard.count}`) : root;
    try {
      makeDirs(this.dir);
    } catch (error) {
      throw new FatalError(`--write-clean ${root}: cannot create this folder (${errorMessage(error)})`);
    }
    this.manifest = this.watch(createWriteStream(join(this.dir, MANIFEST_NAME)), join(this.dir, MANIFEST_NAME));
    this.manifest.write('{"removed": [\n');
    if (options.mask) this.maskedPart = this.watch(createWriteStream(join(this.dir, MASKED_PART)), join(this.dir, MASKED_PART));
  }

  private watch<T extends NodeJS.EventEmitter>(stream: T, path: string): T {
    stream.on('error', (error: Error) => {
      this.failure ??= { path, error };
      // A gzip stream over a failed file would wait for a 'drain' that never comes.
      this.current?.stream.destroy();
    });
    return stream;
  }

  private check(): void {
    if (this.failure) throw new FatalError(`--write-clean: cannot write ${this.failure.path} (${errorMessage(this.failure.error)})`);
  }

  /**
   * The clean copy's path for a corpus file: its path relative to the corpus' common folder. No
   * Zstandard or Parquet writer ships with contam, so those files are written as plain JSONL or text
   * (`a.jsonl.zst` -> `a.jsonl`, `b.parquet` -> `b.jsonl`, one JSON object per row).
   */
  target(file: CorpusFile): string {
    const rel = relative(this.base, resolve(file.path));
    const renamed = file.format === 'parquet' ? rel.replace(/\.parquet$/i, '.jsonl') : file.zstd ? rel.replace(/\.zstd?$/i, '') : rel;
    return join(this.dir, renamed);
  }

  async openFile(file: CorpusFile): Promise<void> {
    const path = this.target(file);
    if (resolve(path) === resolve(file.path)) throw new FatalError(`--write-clean ${this.dir}: would overwrite the corpus file ${file.path}; choose another folder`);
    makeDirs(dirname(path));
    const sink = this.watch(createWriteStream(path), path);
    let stream: Writable = sink;
    if (file.gzip) {
      const gzip: Gzip = this.watch(createGzip(), path);
      gzip.pipe(sink);
      stream = gzip;
    }
    this.current = { stream, sink, path };
    this.format = file.format;
    this.written.push(path);
  }

  /** Writes a kept unit; `isRecord` false for the blank lines between records, which a shard leaves out. */
  async keep(raw: Buffer, isRecord = true): Promise<void> {
    this.check();
    if (!this.current) return;
    if (!this.options.shard) return write(this.current.stream, raw, this.current.path);
    if (!isRecord) return;
    await write(this.current.stream, raw, this.current.path);
    // Shard files are concatenated: a text paragraph ends with a blank line, a last JSON line without its newline gets one.
    const ends = raw.at(-1) === 0x0a;
    if (this.format === 'text') await write(this.current.stream, ends ? '\n' : '\n\n', this.current.path);
    else if (!ends) await write(this.current.stream, '\n', this.current.path);
  }

  /** Writes a record's masked bytes and lists it in the manifest. */
  async mask(masking: Masking, raw: Buffer): Promise<void> {
    await this.keep(raw);
    const line = `${this.maskedCount > 0 ? ',\n' : ''}  ${JSON.stringify(masking)}`;
    this.maskedCount += 1;
    if (this.maskedPart) await write(this.maskedPart, line, join(this.dir, MASKED_PART));
  }

  async remove(removal: Removal): Promise<void> {
    this.check();
    for (const r of removal.reasons) this.reasonCounts[r.startsWith('task:') ? 'task' : 'overlap'] += 1;
    const line = `${this.removedCount > 0 ? ',\n' : ''}  ${JSON.stringify(removal)}`;
    this.removedCount += 1;
    await write(this.manifest, line, join(this.dir, MANIFEST_NAME));
  }

  async closeFile(): Promise<void> {
    if (!this.current) return;
    const { stream, sink, path } = this.current;
    this.current = undefined;
    await finish(stream, sink, path);
    this.check();
  }

  /** Ends the manifest with the masked records (with --mask) and its counts. */
  async close(): Promise<{ removed: number; masked?: number; byReason: Readonly<Record<string, number>> }> {
    const summary = { removed: this.removedCount, ...(this.options.mask ? { masked: this.maskedCount } : {}), byReason: this.reasonCounts };
    if (this.maskedPart) {
      const part = join(this.dir, MASKED_PART);
      await finish(this.maskedPart, this.maskedPart, part);
      this.check();
      await write(this.manifest, '\n],\n"masked": [\n', join(this.dir, MANIFEST_NAME));
      for await (const chunk of createReadStream(part)) await write(this.manifest, chunk as Buffer, join(this.dir, MANIFEST_NAME));
      rmSync(part, { force: true });
    }
    this.manifest.write(`\n],\n"summary": ${JSON.stringify(summary)}\n}\n`);
    await finish(this.manifest, this.manifest, join(this.dir, MANIFEST_NAME));
    this.check();
    return summary;
  }
}
