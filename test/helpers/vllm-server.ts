/**
 * A loopback HTTP server that answers as vLLM's OpenAI-compatible server (`vllm serve`) does, computing
 * its numbers from real ONNX model folders (GPT-2 fixtures from src/onnx/gpt2-fixture.ts, or demo n-gram
 * exports from src/demo/export.ts) through onnxruntime-node. For tests of a remote (HTTP) backend.
 *
 * Routes: GET /health, /ping, /version, /v1/models; POST /tokenize, /detokenize, /v1/completions.
 * Handlers and their vLLM sources: vllm-server-completion.ts; error shapes: vllm-server-protocol.ts;
 * model side: vllm-server-model.ts. Auth follows serve/middleware/authenticate.py (2026): with an API
 * key every route needs `Authorization: Bearer <key>` except the public ones (/health, /ping, /load,
 * /version, /metrics, docs); otherwise 401 `{"error": "Unauthorized"}`.
 *
 * Fault injection (not a vLLM behaviour: what a proxy, an overloaded server or a flaky network does) is
 * scheduled by request number on a route, so tests are deterministic. See FaultPlan.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { assertJsonCompliant, createCompletion, detokenize, modelList, tokenize, type ServingContext } from './vllm-server-completion.js';
import { loadServedModel, type ServedModel } from './vllm-server-model.js';
import { ApiError, checkJsonContentType, errorBody, jsonDecodeError, toJson } from './vllm-server-protocol.js';

export type FaultKind = 'rate_limit' | 'server_error' | 'unavailable' | 'reset' | 'truncated' | 'stall';

export interface Fault {
  /**
   * - rate_limit: 429 with a JSON error body (and Retry-After when `retryAfter` is set);
   * - server_error: 500 `{"error": {"message": "Internal server error", "type": "InternalServerError", ...}}`;
   * - unavailable: 503 with a JSON error body (and Retry-After when set);
   * - reset: the socket is destroyed once the request is read, no response at all;
   * - truncated: the real response's status and headers (Content-Length of the whole body), half the
   *   body, then the socket is destroyed;
   * - stall: nothing is sent for `stallMs`, then the socket is destroyed.
   */
  readonly kind: FaultKind;
  /** Retry-After header value for rate_limit / unavailable (seconds, or an HTTP date). */
  readonly retryAfter?: number | string;
  /** stall: how long to hold the request before closing. Default 30 000 ms. */
  readonly stallMs?: number;
  /** stall: send the 200 status line and headers first, then hold (the body never comes). Default false. */
  readonly stallAfterHeaders?: boolean;
  /** Replaces the JSON body of rate_limit / server_error / unavailable. */
  readonly body?: unknown;
}

export type FaultRoute = 'completions' | 'tokenize';

/**
 * One scheduling rule. Requests are numbered from 1 per route (every request that reaches the route
 * counts, faulted or not, before auth and validation). A rule matches request number `k` when `k` is in
 * `at`, or, with `every`, when k >= start and (k - start) % every < burst (start defaults to `every`,
 * burst to 1), and k <= until when given. The first matching rule wins.
 */
export interface FaultRule {
  /** Default 'completions' (POST /v1/completions); 'tokenize' is POST /tokenize. */
  readonly route?: FaultRoute;
  readonly at?: readonly number[];
  readonly every?: number;
  readonly start?: number;
  readonly burst?: number;
  readonly until?: number;
  readonly fault: FaultKind | Fault;
}

export interface FaultPlan {
  readonly rules: readonly FaultRule[];
}

export interface VllmServerOptions {
  /** Served names and model folders. vLLM serves one model; several are allowed here for convenience. */
  models: { name: string; dir: string }[];
  /** --api-key. */
  apiKey?: string;
  /** --max-logprobs: default 20; -1 = no cap (the vocabulary size). */
  maxLogprobs?: number;
  /** --max-model-len: default each model's n_positions (config.json). */
  maxModelLen?: number;
  /** /version. Default '0.11.0'. */
  version?: string;
  /** system_fingerprint of completion responses. Default null. */
  systemFingerprint?: string | null;
  faults?: FaultPlan;
}

export interface LoggedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface VllmServer {
  /** http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  close(): Promise<void>;
  stats: { requests: Record<string, number>; faults: Record<string, number> };
  log: LoggedRequest[];
}

const PUBLIC_ENDPOINTS = ['/health', '/ping', '/load', '/version', '/metrics', '/docs', '/docs/oauth2-redirect', '/redoc', '/openapi.json', '/static'];
/** Guarded prefixes: vLLM's floor plus the static prefixes of the routes served here. */
const GUARDED_PREFIXES = ['/v1', '/v2', '/inference', '/cohere', '/tokenize', '/detokenize'];
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function isPublic(path: string): boolean {
  return PUBLIC_ENDPOINTS.some((p) => path === p || path.startsWith(`${p.replace(/\/$/, '')}/`));
}

/** AuthenticationMiddleware.verify_token. */
function authorized(header: string | undefined, key: string): boolean {
  if (!header) return false;
  const space = header.indexOf(' ');
  const scheme = space === -1 ? header : header.slice(0, space);
  const param = space === -1 ? '' : header.slice(space + 1);
  return scheme.toLowerCase() === 'bearer' && param === key;
}

function faultOf(rule: FaultRule): Fault {
  return typeof rule.fault === 'string' ? { kind: rule.fault } : rule.fault;
}

function matches(rule: FaultRule, n: number): boolean {
  if (rule.until !== undefined && n > rule.until) return false;
  if (rule.at?.includes(n)) return true;
  if (rule.every !== undefined && rule.every > 0) {
    const start = rule.start ?? rule.every;
    const burst = rule.burst ?? 1;
    return n >= start && (n - start) % rule.every < burst;
  }
  return false;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(toJson(value)) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startVllmServer(options: VllmServerOptions): Promise<VllmServer> {
  if (options.models.length === 0) throw new Error('startVllmServer: at least one model');
  const models: ServedModel[] = [];
  try {
    for (const { name, dir } of options.models) models.push(await loadServedModel(name, dir, options.maxModelLen));
  } catch (error) {
    await Promise.all(models.map((m) => m.close()));
    throw error;
  }
  const ctx: ServingContext = {
    models,
    maxLogprobs: options.maxLogprobs ?? 20,
    systemFingerprint: options.systemFingerprint ?? null,
    maxCompletionPrompts: 1024,
  };
  const version = options.version ?? '0.11.0';
  const rules = options.faults?.rules ?? [];
  const stats = { requests: {} as Record<string, number>, faults: {} as Record<string, number> };
  const log: LoggedRequest[] = [];
  const routeCounts: Record<FaultRoute, number> = { completions: 0, tokenize: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const route = async (method: string, path: string, req: IncomingMessage, text: string): Promise<Reply> => {
    const parseJson = (): unknown => {
      checkJsonContentType(req.headers['content-type']);
      try {
        return JSON.parse(text);
      } catch (error) {
        throw jsonDecodeError(text, error);
      }
    };
    const get = method === 'GET' || method === 'HEAD';
    switch (path) {
      case '/health':
      case '/ping':
        if (get || (path === '/ping' && method === 'POST')) return { status: 200, headers: {}, body: Buffer.alloc(0) };
        break;
      case '/version':
        if (get) return jsonReply(200, { version });
        break;
      case '/v1/models':
        if (get) return jsonReply(200, modelList(ctx));
        break;
      case '/tokenize':
        if (method === 'POST') return jsonReply(200, tokenize(ctx, parseJson()));
        break;
      case '/detokenize':
        if (method === 'POST') return jsonReply(200, detokenize(ctx, parseJson()));
        break;
      case '/v1/completions':
        if (method === 'POST') {
          const header = req.headers['x-request-id'];
          const response = await createCompletion(ctx, parseJson(), typeof header === 'string' ? header : undefined);
          assertJsonCompliant(response);
          return jsonReply(200, response);
        }
        break;
      default:
        return jsonReply(404, { detail: 'Not Found' });
    }
    return jsonReply(405, { detail: 'Method Not Allowed' }, { allow: path === '/v1/models' || path === '/health' || path === '/version' ? 'GET' : 'POST' });
  };

  const respond = (res: ServerResponse, reply: Reply): void => {
    if (res.destroyed) return;
    res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
    res.end(reply.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?', 1)[0];
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      req.socket.destroy();
      return;
    }
    const text = raw.toString('utf8');
    stats.requests[path] = (stats.requests[path] ?? 0) + 1;
    log.push({ method, path, headers: { ...req.headers }, body: text });

    const faultRoute: FaultRoute | undefined =
      method === 'POST' && path === '/v1/completions' ? 'completions' : method === 'POST' && path === '/tokenize' ? 'tokenize' : undefined;
    let fault: Fault | undefined;
    if (faultRoute) {
      const n = ++routeCounts[faultRoute];
      const rule = rules.find((r) => (r.route ?? 'completions') === faultRoute && matches(r, n));
      if (rule) fault = faultOf(rule);
    }
    if (fault) stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;

    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'stall') {
      if (fault.stallAfterHeaders) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        req.socket.destroy();
      }, fault.stallMs ?? 30_000);
      timers.add(timer);
      req.socket.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    if (fault && (fault.kind === 'rate_limit' || fault.kind === 'server_error' || fault.kind === 'unavailable')) {
      const status = fault.kind === 'rate_limit' ? 429 : fault.kind === 'server_error' ? 500 : 503;
      const defaults: Record<number, [string, string]> = {
        429: ['Too Many Requests', 'RateLimitError'],
        500: ['Internal server error', 'InternalServerError'],
        503: ['Service Unavailable', 'ServiceUnavailableError'],
      };
      const body = fault.body ?? errorBody(defaults[status][0], defaults[status][1], status);
      const headers: Record<string, string> = fault.retryAfter !== undefined && status !== 500 ? { 'retry-after': String(fault.retryAfter) } : {};
      respond(res, jsonReply(status, body, headers));
      return;
    }

    let reply: Reply;
    if (options.apiKey !== undefined && method !== 'OPTIONS' && !isPublic(path) && GUARDED_PREFIXES.some((p) => path.startsWith(p)) && !authorized(req.headers.authorization, options.apiKey)) {
      reply = jsonReply(401, { error: 'Unauthorized' });
    } else {
      try {
        reply = await route(method, path, req, text);
      } catch (error) {
        if (error instanceof ApiError) {
          reply = typeof error.body === 'string' ? { status: error.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...error.headers }, body: Buffer.from(error.body) } : jsonReply(error.status, error.body, error.headers);
        } else {
          // vLLM's catch-all exception handler: 500 InternalServerError with str(exc).
          const message = error instanceof Error ? error.message : String(error);
          reply = jsonReply(500, errorBody(message, 'InternalServerError', 500));
        }
      }
    }
    if (closing) {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'truncated') {
      const half = reply.body.subarray(0, Math.floor(reply.body.length / 2));
      res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
      res.write(half, () => setImmediate(() => req.socket.destroy()));
      return;
    }
    respond(res, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await stopped;
      await Promise.all(models.map((m) => m.close()));
    })();
    return closed;
  };

  return { url: `http://127.0.0.1:${port}/v1`, port, close, stats, log };
}
