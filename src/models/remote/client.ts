/**
 * HTTP to one engine: a bounded number of requests in flight, a timeout per attempt, and bounded
 * retries with exponential back-off and full jitter on what a busy or restarting server answers
 * (429, 5xx, resets, stalls, truncated or malformed JSON), honouring Retry-After. A client error
 * (400, 401, 404, ...) is never retried: it comes back as an EngineHttpError for the backend to name.
 * The API key goes into the Authorization header and nowhere else: no message here ever carries a header.
 */
import { FatalError, errorMessage } from '../../errors.js';
import type { Traffic } from '../backend.js';
import { Http1Pool, type HttpAnswer } from './http1.js';

export interface ClientOptions {
  /** Requests in flight at once. */
  readonly concurrency: number;
  /** Per attempt, milliseconds. */
  readonly timeoutMs: number;
  /** Retries after the first attempt. */
  readonly retries: number;
  /** First back-off, doubled per retry (with full jitter), capped at 30 s. */
  readonly retryBaseMs: number;
}

export const DEFAULT_CLIENT: ClientOptions = { concurrency: 8, timeoutMs: 300_000, retries: 8, retryBaseMs: 500 };

const RETRY_CAP_MS = 30_000;
const RETRY_AFTER_CAP_MS = 120_000;

/** An answer the server gave that retrying will not change; `body` is its error text, shortened. */
export class EngineHttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${url}: HTTP ${status}${body ? `: ${body}` : ''}`);
  }
}

/** The message inside vLLM's nested error, its flat pre-0.10.1 shape, the 401 string, or TGI's. */
export function errorText(raw: string): string {
  try {
    const v = JSON.parse(raw) as Record<string, unknown>;
    const e = v?.error;
    if (e && typeof e === 'object' && typeof (e as Record<string, unknown>).message === 'string') return oneLine((e as Record<string, unknown>).message as string);
    if (typeof e === 'string') return oneLine(e);
    if (typeof v?.message === 'string') return oneLine(v.message);
    if (typeof v?.detail === 'string') return oneLine(v.detail);
  } catch {
    // not JSON: the text itself
  }
  return oneLine(raw);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

/** Why a fetch failed, as a short cause for the counters and the last message. */
function failureCause(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e?.name === 'TimeoutError') return 'timeout';
  const code = e?.code ?? e?.cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (/ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED/.test(code) || /terminated|socket|other side closed/i.test(`${e?.message} ${e?.cause?.message}`)) return 'reset';
  return code || 'network';
}

function describeCause(cause: string, detail: string): string {
  switch (cause) {
    case 'refused':
      return 'connection refused (is the server running?)';
    case 'dns':
      return 'the host name does not resolve';
    case 'timeout':
      return 'no answer within the request timeout (--request-timeout)';
    case 'reset':
      return 'the connection was reset';
    case 'malformed':
      return `the answer is not valid JSON (${detail})`;
    default:
      return detail;
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(RETRY_AFTER_CAP_MS, seconds * 1000);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.min(RETRY_AFTER_CAP_MS, Math.max(0, date - Date.now())) : undefined;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface JsonAnswer {
  readonly json: unknown;
  readonly bytes: number;
}

export class EngineClient {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly counts = { requests: 0, retries: 0, scoredTokens: 0, sampledTokens: 0, bytesReceived: 0, clientMs: 0 };
  private readonly causes: Record<string, number> = {};

  constructor(
    /** Server root, e.g. http://127.0.0.1:8000 (no /v1). */
    readonly root: string,
    private readonly apiKey: string | undefined,
    readonly options: ClientOptions,
  ) {
    // Written into the request as it is: a key that could end the header line is refused (without showing it).
    if (apiKey !== undefined && /[^\x20-\x7e]/.test(apiKey)) throw new FatalError('the API key holds characters an HTTP header cannot carry (a line break or non-ASCII); check the environment variable');
    const url = new URL(root);
    this.pool = new Http1Pool(url.origin);
    this.prefix = url.pathname.replace(/\/+$/, '');
  }

  private readonly pool: Http1Pool;
  /** The root's path, before each request's (a server behind a path-routing proxy). */
  private readonly prefix: string;

  /** Closes kept-alive connections, so the process can exit. */
  close(): void {
    this.pool.destroy();
  }

  traffic(): Traffic {
    return { inFlight: this.active, ...this.counts, retryCauses: { ...this.causes } };
  }

  /** For the backend: tokens counted, and time it spent on its own side of a request. */
  note(counts: { scoredTokens?: number; sampledTokens?: number; clientMs?: number }): void {
    this.counts.scoredTokens += counts.scoredTokens ?? 0;
    this.counts.sampledTokens += counts.sampledTokens ?? 0;
    this.counts.clientMs += counts.clientMs ?? 0;
  }

  private async slot(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((go) => this.waiting.push(go));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  /** `retries` overrides the client's (opening probes fail fast when nothing listens). */
  get(path: string, retries?: number): Promise<JsonAnswer> {
    return this.request('GET', path, undefined, retries ?? this.options.retries);
  }

  post(path: string, body: unknown, retries?: number): Promise<JsonAnswer> {
    return this.request('POST', path, body, retries ?? this.options.retries);
  }

  private async request(method: string, path: string, body: unknown, retries: number): Promise<JsonAnswer> {
    const url = `${this.root}${path}`;
    const started = performance.now();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    this.counts.clientMs += performance.now() - started;
    let last = '';
    for (let attempt = 0; ; attempt++) {
      let wait: number | undefined;
      await this.slot();
      this.counts.requests++;
      let cause: string;
      try {
        const res = await this.exchange(method, path, payload);
        this.counts.bytesReceived += res.body.length;
        if (res.status >= 200 && res.status < 300) {
          const t0 = performance.now();
          try {
            const text = res.body.toString('utf8');
            return { json: text === '' ? null : (JSON.parse(text) as unknown), bytes: res.body.length };
          } catch (error) {
            cause = 'malformed';
            last = describeCause(cause, `${res.body.length} bytes: ${errorMessage(error)}`);
          } finally {
            this.counts.clientMs += performance.now() - t0;
          }
        } else if (RETRY_STATUS.has(res.status)) {
          const text = errorText(res.body.toString('utf8'));
          cause = String(res.status);
          last = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
          wait = retryAfterMs(res.retryAfter);
        } else {
          throw new EngineHttpError(url, res.status, errorText(res.body.toString('utf8')));
        }
      } catch (error) {
        if (error instanceof EngineHttpError) throw error;
        cause = failureCause(error);
        last = describeCause(cause, errorMessage(error));
      } finally {
        this.release();
      }
      if (attempt >= retries) {
        throw new FatalError(`${url}: ${last} (gave up after ${attempt + 1} attempt${attempt === 0 ? '' : 's'})`);
      }
      this.counts.retries++;
      this.causes[cause] = (this.causes[cause] ?? 0) + 1;
      const backoff = Math.min(RETRY_CAP_MS, this.options.retryBaseMs * 2 ** attempt) * Math.random();
      await sleep(wait ?? backoff);
    }
  }

  /** One HTTP exchange on a kept-alive connection (http1.ts). A body cut short by a closed socket is an error. */
  private exchange(method: string, path: string, payload: Buffer | undefined): Promise<HttpAnswer> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) headers['content-type'] = 'application/json';
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    return this.pool.request({ method, path: `${this.prefix}${path}`, headers, body: payload, timeoutMs: this.options.timeoutMs });
  }
}
