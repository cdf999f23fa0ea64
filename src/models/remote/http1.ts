/**
 * A small HTTP/1.1 client for one engine: kept-alive connections, one request at a time on each,
 * and a response reader for what an OpenAI-compatible server sends (a Content-Length body, a
 * chunked one, or one that ends with the connection; 1xx interim answers skipped).
 *
 * Why not node:http: an audit is thousands of small requests, and on the loopback server node:http
 * spent about two thirds of contam's own client time in its request objects, streams and events
 * (V8 profile of the bench's engine audit). Written straight to the socket, 2,000 sequential
 * requests with 16 KB JSON answers took 241 µs of client CPU each where node:http with kept-alive
 * connections took 416; the bench's engine audit went from 5.2% to 2.1% client time (issue 20,
 * goal 6; README, Performance).
 *
 * Failures carry the codes the retry logic reads (client.ts failureCause): a connection that closes
 * before the whole answer is ECONNRESET, a silent one a TimeoutError. What a server sends that is
 * not HTTP/1.x is an error with code HPE_INVALID, never retried.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface HttpAnswer {
  readonly status: number;
  readonly body: Buffer;
  readonly retryAfter: string | null;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
/** Headers longer than this are not an engine's answer. */
const MAX_HEAD = 64 * 1024;

const reset = (why: string) => Object.assign(new Error(why), { code: 'ECONNRESET' });
const invalid = (why: string) => Object.assign(new Error(`not an HTTP/1.x answer: ${why}`), { code: 'HPE_INVALID' });

interface Head {
  readonly status: number;
  readonly length: number | undefined;
  readonly chunked: boolean;
  readonly close: boolean;
  readonly retryAfter: string | null;
}

function parseHead(text: string): Head {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0]);
  if (!m) throw invalid(JSON.stringify(lines[0].slice(0, 40)));
  let length: number | undefined;
  let chunked = false;
  let connection = '';
  let retryAfter: string | null = null;
  for (let i = 1; i < lines.length; i++) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) continue;
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d+$/.test(value)) throw invalid(`Content-Length ${JSON.stringify(value)}`);
      length = Number(value);
    } else if (name === 'transfer-encoding') chunked = /(^|,)\s*chunked\s*$/i.test(value);
    else if (name === 'connection') connection = value.toLowerCase();
    else if (name === 'retry-after') retryAfter = value;
  }
  const http10 = m[1] === '0';
  return { status: Number(m[2]), length: chunked ? undefined : length, chunked, close: connection.includes('close') || (http10 && !connection.includes('keep-alive')), retryAfter };
}

/**
 * Reads one answer from the bytes a connection delivers. `push` returns the answer once it is
 * whole, else undefined; `end` is called when the peer closes (an answer without a length ends there).
 */
class AnswerReader {
  private buffer: Buffer = Buffer.alloc(0);
  private head: Head | undefined;
  private readonly parts: Buffer[] = [];
  private received = 0;
  /** Chunked: bytes of the current chunk still to come; 0 when its CRLF is next; -1 while reading a size line. */
  private chunkLeft = -1;
  private trailers = false;

  push(data: Buffer): { answer: HttpAnswer; close: boolean } | undefined {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    for (;;) {
      if (!this.head) {
        const end = this.buffer.indexOf(CRLF2);
        if (end < 0) {
          if (this.buffer.length > MAX_HEAD) throw invalid('headers over 64 KB');
          return undefined;
        }
        const head = parseHead(this.buffer.toString('latin1', 0, end));
        this.buffer = this.buffer.subarray(end + 4);
        // 1xx (100 Continue, 103 Early Hints): the real answer follows.
        if (head.status >= 100 && head.status < 200) continue;
        this.head = head;
      }
      const body = this.readBody();
      if (!body) return undefined;
      const head = this.head;
      return { answer: { status: head.status, body, retryAfter: head.retryAfter }, close: head.close || this.buffer.length > 0 };
    }
  }

  /** The peer closed: an answer that runs to the end of the connection is whole now. */
  end(): HttpAnswer | undefined {
    const head = this.head;
    if (!head || head.chunked || head.length !== undefined) return undefined;
    return { status: head.status, body: Buffer.concat([...this.parts, this.buffer]), retryAfter: head.retryAfter };
  }

  /**
   * Body bytes move from `buffer` into `parts` as they come, so a large answer (Min-K%++'s whole
   * vocabulary is megabytes per position) is joined once, never re-copied per packet.
   */
  private readBody(): Buffer | undefined {
    const head = this.head!;
    if (head.status === 204 || head.status === 304) return Buffer.alloc(0);
    if (head.length !== undefined) {
      this.take(Math.min(head.length - this.received, this.buffer.length));
      return this.received < head.length ? undefined : Buffer.concat(this.parts, this.received);
    }
    if (!head.chunked) {
      this.take(this.buffer.length);
      return undefined; // until the connection ends
    }
    for (;;) {
      if (this.chunkLeft > 0) {
        this.take(Math.min(this.chunkLeft, this.buffer.length));
        if (this.chunkLeft > 0) return undefined;
      }
      if (this.chunkLeft === 0) {
        // The CRLF after a chunk's data.
        if (this.buffer.length < 2) return undefined;
        this.buffer = this.buffer.subarray(2);
        this.chunkLeft = -1;
      }
      const eol = this.buffer.indexOf(CRLF);
      if (eol < 0) return undefined;
      const line = this.buffer.toString('latin1', 0, eol);
      this.buffer = this.buffer.subarray(eol + 2);
      if (this.trailers) {
        // After the last chunk: trailer lines, then an empty line.
        if (eol === 0) return Buffer.concat(this.parts, this.received);
        continue;
      }
      const size = Number.parseInt(line.split(';')[0].trim(), 16);
      if (!Number.isFinite(size) || size < 0) throw invalid('a chunk size that is not hexadecimal');
      if (size === 0) this.trailers = true;
      else this.chunkLeft = size;
    }
  }

  /** Moves `n` bytes from the front of `buffer` into the body. */
  private take(n: number): void {
    if (n <= 0) return;
    this.parts.push(this.buffer.subarray(0, n));
    this.received += n;
    if (this.chunkLeft > 0) this.chunkLeft -= n;
    this.buffer = this.buffer.subarray(n);
  }
}

interface Pending {
  readonly reader: AnswerReader;
  readonly done: (answer: HttpAnswer) => void;
  readonly fail: (error: Error) => void;
}

class Connection {
  pending: Pending | undefined;
  closed = false;

  constructor(
    readonly socket: net.Socket,
    private readonly idle: (c: Connection) => void,
  ) {
    socket.setNoDelay(true);
    // The request timeout counts silence, as node:http's did: a large answer that keeps arriving is not cut off.
    socket.on('timeout', () => socket.destroy(Object.assign(new Error('request timed out'), { name: 'TimeoutError' })));
    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (error) => this.onClose(error));
    socket.on('close', () => this.onClose(reset('the connection closed before the whole answer arrived')));
  }

  private onData(data: Buffer): void {
    const p = this.pending;
    if (!p) {
      // Bytes nobody asked for: the connection is out of step, so it is not used again.
      this.socket.destroy();
      return;
    }
    let got;
    try {
      got = p.reader.push(data);
    } catch (error) {
      this.pending = undefined;
      this.socket.destroy();
      p.fail(error as Error);
      return;
    }
    if (!got) return;
    this.pending = undefined;
    this.socket.setTimeout(0);
    if (got.close) this.socket.destroy();
    else this.idle(this);
    p.done(got.answer);
  }

  private onClose(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const whole = p.reader.end();
    if (whole) p.done(whole);
    else p.fail(error);
  }
}

export interface Http1Request {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body?: Buffer;
  /** Longest silence while the request is out (no byte sent or received), milliseconds. */
  readonly timeoutMs: number;
}

/** Kept-alive connections to one origin; callers bound how many requests are in flight. */
export class Http1Pool {
  private readonly idle: Connection[] = [];
  private readonly open = new Set<Connection>();
  private readonly host: string;
  private readonly port: number;
  private readonly secure: boolean;
  private readonly hostHeader: string;

  constructor(origin: string) {
    const url = new URL(origin);
    this.secure = url.protocol === 'https:';
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = Number(url.port || (this.secure ? 443 : 80));
    this.hostHeader = url.host;
  }

  private connect(): Connection {
    const socket = this.secure
      ? tls.connect({ host: this.host, port: this.port, ...(net.isIP(this.host) ? {} : { servername: this.host }) })
      : net.connect({ host: this.host, port: this.port });
    const c = new Connection(socket, (done) => {
      if (done.closed) return;
      // An idle connection does not keep the process alive.
      done.socket.unref();
      this.idle.push(done);
    });
    this.open.add(c);
    socket.on('close', () => {
      this.open.delete(c);
      const at = this.idle.indexOf(c);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return c;
  }

  request(r: Http1Request): Promise<HttpAnswer> {
    let c = this.idle.pop();
    while (c && c.closed) c = this.idle.pop();
    const conn = c ?? this.connect();
    conn.socket.ref();
    let head = `${r.method} ${r.path} HTTP/1.1\r\nhost: ${this.hostHeader}\r\nconnection: keep-alive\r\n`;
    for (const [name, value] of Object.entries(r.headers)) head += `${name}: ${value}\r\n`;
    if (r.body) head += `content-length: ${r.body.length}\r\n`;
    head += '\r\n';
    const bytes = r.body ? Buffer.concat([Buffer.from(head, 'latin1'), r.body]) : Buffer.from(head, 'latin1');
    return new Promise<HttpAnswer>((resolve, reject) => {
      conn.pending = { reader: new AnswerReader(), done: resolve, fail: reject };
      conn.socket.setTimeout(r.timeoutMs);
      conn.socket.write(bytes);
    });
  }

  /** Closes every connection, idle or not. */
  destroy(): void {
    for (const c of this.open) c.socket.destroy();
    this.idle.length = 0;
  }
}
