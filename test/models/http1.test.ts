/**
 * The engine client's HTTP/1.1 reader (src/models/remote/http1.ts) against raw loopback sockets
 * that answer in each shape a server or a proxy in front of it may use, split at every byte.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Http1Pool } from '../../src/models/remote/http1.js';
import { DEFAULT_CLIENT, EngineClient } from '../../src/models/remote/client.js';

interface RawServer {
  readonly origin: string;
  /** Connections accepted so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

const servers: RawServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that reads each request's head (and its Content-Length body) and answers with `answer`. */
async function rawServer(answer: (request: string, socket: net.Socket, n: number) => void): Promise<RawServer> {
  let accepted = 0;
  let handled = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.toString('latin1', 0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const request = buffer.toString('utf8', 0, end + 4 + length);
        buffer = buffer.subarray(end + 4 + length);
        answer(request, socket, handled++);
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  const s: RawServer = {
    origin: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
  servers.push(s);
  return s;
}

/** Writes `bytes` one byte per write, each on its own turn of the event loop. */
async function trickle(socket: net.Socket, bytes: Buffer): Promise<void> {
  for (const b of bytes) {
    socket.write(Buffer.of(b));
    await new Promise((done) => setImmediate(done));
  }
}

const get = (pool: Http1Pool, path = '/v1/models', timeoutMs = 5000) => pool.request({ method: 'GET', path, headers: { accept: 'application/json' }, timeoutMs });
const text = (b: Buffer) => b.toString('utf8');

describe('HTTP/1.1 answers the engine client reads', () => {
  it('Content-Length, on one kept-alive connection for every request, with the request line, host and body as sent', async () => {
    const seen: string[] = [];
    const server = await rawServer((request, socket) => {
      seen.push(request);
      const body = JSON.stringify({ echo: request.split('\r\n\r\n')[1] });
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
    const pool = new Http1Pool(server.origin);
    try {
      for (let i = 0; i < 5; i++) {
        const body = Buffer.from(JSON.stringify({ i, text: 'naïve “quotes”' }));
        const a = await pool.request({ method: 'POST', path: '/v1/completions', headers: { 'content-type': 'application/json' }, body, timeoutMs: 5000 });
        expect(a.status).toBe(200);
        expect(JSON.parse(JSON.parse(text(a.body)).echo)).toEqual({ i, text: 'naïve “quotes”' });
      }
      expect(server.connections()).toBe(1);
      expect(seen[0]).toMatch(new RegExp(`^POST /v1/completions HTTP/1\\.1\\r\\nhost: ${server.origin.slice(7).replace('.', '\\.')}\\r\\n`));
    } finally {
      pool.destroy();
    }
  });

  it('a chunked body with extensions and trailers, and 100 Continue before it, every byte on its own', async () => {
    const server = await rawServer((_, socket) => {
      const answer = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{"a":\r\nA\r\n[1,2,3,4]}\r\n0\r\nx-trailer: 1\r\n\r\n';
      void trickle(socket, Buffer.from(answer, 'latin1'));
    });
    const pool = new Http1Pool(server.origin);
    try {
      const a = await get(pool);
      expect(a.status).toBe(200);
      expect(JSON.parse(text(a.body))).toEqual({ a: [1, 2, 3, 4] });
      const again = await get(pool);
      expect(JSON.parse(text(again.body))).toEqual({ a: [1, 2, 3, 4] });
      expect(server.connections()).toBe(1);
    } finally {
      pool.destroy();
    }
  });

  it('large bodies in many packets arrive whole (Content-Length and chunked), and an empty body is an answer', async () => {
    const big = Buffer.from(JSON.stringify({ v: Array.from({ length: 600_000 }, (_, i) => i % 997) }));
    const server = await rawServer((request, socket) => {
      if (request.includes('/empty')) {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const chunked = request.includes('/chunked');
      socket.write(chunked ? 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' : `HTTP/1.1 200 OK\r\nContent-Length: ${big.length}\r\n\r\n`);
      for (let at = 0; at < big.length; at += 4096) {
        const piece = big.subarray(at, at + 4096);
        socket.write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
      }
      if (chunked) socket.write('0\r\n\r\n');
    });
    const pool = new Http1Pool(server.origin);
    try {
      for (const path of ['/plain', '/chunked']) {
        const a = await get(pool, path);
        expect(a.body.length).toBe(big.length);
        expect(a.body.equals(big)).toBe(true);
      }
      const empty = await get(pool, '/empty');
      expect([empty.status, empty.body.length]).toEqual([200, 0]);
      expect(server.connections()).toBe(1);
    } finally {
      pool.destroy();
    }
  });

  it('an HTTP/1.0 answer without a length ends with its connection; Connection: close is honoured', async () => {
    const server = await rawServer((request, socket) => {
      if (request.includes('/old')) {
        socket.end('HTTP/1.0 200 OK\r\ncontent-type: application/json\r\n\r\n{"old":true}');
      } else {
        socket.write('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}');
      }
    });
    const pool = new Http1Pool(server.origin);
    try {
      const a = await get(pool, '/old');
      expect([a.status, JSON.parse(text(a.body))]).toEqual([200, { old: true }]);
      const b = await get(pool, '/busy');
      expect([b.status, b.retryAfter, text(b.body)]).toEqual([503, '7', '{}']);
      const c = await get(pool, '/busy');
      expect(c.status).toBe(503);
      expect(server.connections()).toBe(3);
    } finally {
      pool.destroy();
    }
  });

  it('a body cut short and a connection reset are ECONNRESET; silence past the timeout is a TimeoutError; garbage is not HTTP', async () => {
    const server = await rawServer((request, socket) => {
      if (request.includes('/short')) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"cut":');
      else if (request.includes('/reset')) socket.destroy();
      else if (request.includes('/garbage')) socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n');
      // /silent: no answer at all
    });
    const pool = new Http1Pool(server.origin);
    try {
      await expect(get(pool, '/short')).rejects.toMatchObject({ code: 'ECONNRESET' });
      await expect(get(pool, '/reset')).rejects.toMatchObject({ code: 'ECONNRESET' });
      await expect(get(pool, '/silent', 200)).rejects.toMatchObject({ name: 'TimeoutError' });
      await expect(get(pool, '/garbage')).rejects.toMatchObject({ code: 'HPE_INVALID' });
    } finally {
      pool.destroy();
    }
  });

  it('the timeout counts silence: an answer that keeps arriving for longer than it is read whole', async () => {
    const server = await rawServer((_, socket) => {
      const body = '{"slow":"' + 'x'.repeat(20) + '"}';
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
      let at = 0;
      const drip = setInterval(() => {
        socket.write(body.slice(at, at + 3));
        at += 3;
        if (at >= body.length) clearInterval(drip);
      }, 40);
    });
    const pool = new Http1Pool(server.origin);
    try {
      // 10 pieces 40 ms apart: 400 ms in all, never 150 ms silent.
      const a = await get(pool, '/slow', 150);
      expect(JSON.parse(text(a.body))).toEqual({ slow: 'x'.repeat(20) });
    } finally {
      pool.destroy();
    }
  });

  it('a connection the server closed while idle is not reused', async () => {
    const server = await rawServer((_, socket) => {
      // Answers, then closes the kept-alive connection a moment later, as uvicorn does after its keep-alive timeout.
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
      setTimeout(() => socket.end(), 20);
    });
    const pool = new Http1Pool(server.origin);
    try {
      for (let i = 0; i < 3; i++) {
        expect((await get(pool)).status).toBe(200);
        await new Promise((done) => setTimeout(done, 80));
      }
      expect(server.connections()).toBe(3);
    } finally {
      pool.destroy();
    }
  });

  it('no server listening: the error carries ECONNREFUSED', async () => {
    const probe = net.createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((done) => probe.close(() => done()));
    const pool = new Http1Pool(`http://127.0.0.1:${port}`);
    await expect(get(pool)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    pool.destroy();
  });

  it('an API key that could end the header line is refused in one line that does not show it', () => {
    for (const key of ['sk-abc\r\nx-evil: 1', 'sk-ключ']) {
      let message = '';
      try {
        new EngineClient('http://127.0.0.1:9', key, DEFAULT_CLIENT).close();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/API key holds characters an HTTP header cannot carry/);
      expect(message).not.toContain('sk-');
    }
    expect(() => new EngineClient('http://127.0.0.1:9', 'sk-plain_KEY.123', DEFAULT_CLIENT).close()).not.toThrow();
  });
});
