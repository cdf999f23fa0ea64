/**
 * `--write-clean DIR`: the corpus minus the records that contain a benchmark n-gram or whose task is
 * dropped, each kept unit written back byte for byte under the same relative file name (gzip files
 * are gzip again: their decompressed bytes are identical). A manifest lists every removed record and
 * why. Writes wait for the stream to drain, so memory stays bounded.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { dirname, join, relative, resolve } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { FatalError, errorMessage } from '../errors.js';
import { makeDirs } from '../util/make-dirs.js';
import type { CorpusFile } from './corpus-files.js';

export const MANIFEST_NAME = 'contam-clean-manifest.json';

export interface Removal {
  readonly file: string;
  readonly line: number;
  readonly record: number;
  readonly reasons: readonly string[];
}

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
  private readonly reasonCounts: Record<string, number> = { overlap: 0, task: 0 };
  readonly written: string[] = [];

  constructor(
    readonly dir: string,
    private readonly base: string,
  ) {
    try {
      makeDirs(dir);
    } catch (error) {
      throw new FatalError(`--write-clean ${dir}: cannot create this folder (${errorMessage(error)})`);
    }
    this.manifest = this.watch(createWriteStream(join(dir, MANIFEST_NAME)), join(dir, MANIFEST_NAME));
    this.manifest.write('{"removed": [\n');
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

  /** The clean copy's path for a corpus file: its path relative to the corpus' common folder. */
  target(file: CorpusFile): string {
    return join(this.dir, relative(this.base, resolve(file.path)));
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
    this.written.push(path);
  }

  async keep(raw: Buffer): Promise<void> {
    this.check();
    if (this.current) await write(this.current.stream, raw, this.current.path);
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

  /** Ends the manifest with its counts. */
  async close(): Promise<{ removed: number; byReason: Readonly<Record<string, number>> }> {
    const summary = { removed: this.removedCount, byReason: this.reasonCounts };
    this.manifest.write(`\n],\n"summary": ${JSON.stringify(summary)}\n}\n`);
    await finish(this.manifest, this.manifest, join(this.dir, MANIFEST_NAME));
    this.check();
    return summary;
  }
}
