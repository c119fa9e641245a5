import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RestainError } from '@restain/shared';
import type { ApiApp } from '../api/app';
import { errorResponse } from '../api/error-response';
import type { ApiRequest, ApiResponse } from '../api/http-types';
import { decodeRequestPath } from '../api/request-path';

/** A handler mounted beside the API app (signed object URLs, the web's static files). */
export interface ExtraRoute {
  /** Requests whose decoded path starts with this go to `handler` instead of the app. */
  readonly pathPrefix: string;
  readonly handler: ApiApp;
}

export interface NodeServerOptions {
  readonly host: string;
  /** 0 picks a free port (see the returned `port`). */
  readonly port: number;
  /** Largest request head (default 16 KiB: Node's default). */
  readonly maxHeaderBytes?: number;
  /** Time a client has to send the whole request head (default 20 s). */
  readonly headersTimeoutMs?: number;
  /** Time a client has to send the whole request, body included (default 300 s: a 1 GB upload at ~30 Mbit/s). */
  readonly requestTimeoutMs?: number;
  /** Longest pause between body chunks while the app waits for them (default 30 s): then 408. */
  readonly bodyIdleTimeoutMs?: number;
  /** How long close() waits for in-flight requests before aborting them (default 10 s). */
  readonly closeGraceMs?: number;
  readonly extraRoutes?: readonly ExtraRoute[];
  /** Where server-level failures go (default console.error). */
  readonly log?: (line: string) => void;
}

export interface RunningServer {
  /** `http://host:port`, host in URL form (IPv6 in brackets). */
  readonly url: string;
  readonly port: number;
  /** Stop accepting, let in-flight requests finish (up to closeGraceMs), then drop every connection. */
  close(): Promise<void>;
}

/** After answering early (413, 4xx before the body was read), keep reading and discarding this long so the client sees the answer rather than a reset. */
const LINGER_MS = 2000;
/** Chunks buffered ahead of the app before the socket is paused (backpressure). */
const MAX_QUEUED_CHUNKS = 16;

/** The request body as a pull stream with an idle timeout; errors are RestainErrors so the app answers them. */
function requestBody(req: IncomingMessage, idleMs: number): AsyncIterable<Uint8Array> {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: RestainError | undefined;
  let wake: (() => void) | undefined;
  const notify = () => wake?.();
  req.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= MAX_QUEUED_CHUNKS) req.pause();
    notify();
  });
  req.on('end', () => ((ended = true), notify()));
  req.on('close', () => {
    if (!req.complete) failure ??= new RestainError('INVALID_ARGUMENT', 'The client closed the connection before the request body ended');
    notify();
  });
  req.pause();
  return {
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length > 0) {
          yield queue.shift() as Uint8Array;
          continue;
        }
        if (ended) return;
        if (failure) throw failure;
        req.resume();
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(() => {
            failure ??= new RestainError('REQUEST_TIMEOUT', `Expected more of the request body within ${idleMs} ms but the client sent nothing`);
            resolve();
          }, idleMs);
        });
        clearTimeout(timer);
        wake = undefined;
        if (queue.length === 0 && !ended && failure) throw failure;
      }
    },
  };
}

function toApiRequest(req: IncomingMessage, signal: AbortSignal, bodyIdleMs: number): ApiRequest {
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: decodeRequestPath(queryAt < 0 ? url : url.slice(0, queryAt)),
    query: new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1)),
    headers,
    body: requestBody(req, bodyIdleMs),
    clientAddress: (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, ''),
    signal,
  };
}

async function writeResponse(res: ServerResponse, response: ApiResponse): Promise<void> {
  const headers: Record<string, string> = { ...response.headers };
  const body = response.body;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    if (response.status !== 204 && response.status !== 304) headers['content-length'] = String(bytes?.byteLength ?? 0);
    res.writeHead(response.status, headers);
    res.end(bytes);
    return;
  }
  res.writeHead(response.status, headers);
  await pipeline(Readable.from(body, { objectMode: false }), res);
}

/** Serves the API app (and extra routes) on node:http, with timeouts against slow clients and a graceful close. */
export async function startNodeServer(app: ApiApp, options: NodeServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const requestTimeout = options.requestTimeoutMs ?? 300_000;
  const headersTimeout = Math.min(options.headersTimeoutMs ?? 20_000, requestTimeout || Infinity);
  const bodyIdleMs = options.bodyIdleTimeoutMs ?? 30_000;
  const inFlight = new Set<{ controller: AbortController; done: Promise<void> }>();
  let closing = false;

  const handle = async (req: IncomingMessage, res: ServerResponse, controller: AbortController): Promise<void> => {
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new RestainError('UNAVAILABLE', 'The client went away'));
    });
    let response: ApiResponse;
    try {
      const request = toApiRequest(req, controller.signal, bodyIdleMs);
      const path = request.path;
      const extra = options.extraRoutes?.find((route) => path.startsWith(route.pathPrefix));
      response = await (extra ? extra.handler : app)(request);
    } catch (error) {
      response = errorResponse(error, randomUUID(), log, `${req.method} ${req.url?.slice(0, 200)}`);
    }
    if (res.destroyed || res.headersSent) return;
    if (closing) res.shouldKeepAlive = false;
    res.once('finish', () => {
      if (req.complete) return;
      // Answered before the body was all read: drain it for a moment, then drop the connection.
      const drop = () => req.socket.destroy();
      if (response.status === 408) return drop();
      req.removeAllListeners('data');
      req.resume();
      const timer = setTimeout(drop, LINGER_MS);
      req.once('end', () => clearTimeout(timer));
      req.once('close', () => clearTimeout(timer));
    });
    try {
      await writeResponse(res, response);
    } catch (error) {
      // Mid-stream failure (a result file vanished, the client left): the connection is already broken.
      if (!controller.signal.aborted) log(`[server] ${req.method} ${req.url?.slice(0, 200)}: response stream failed: ${(error as Error).message}`);
      res.destroy();
    }
  };

  const server = createServer({
    maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024,
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: 5000,
    // Node checks the two timeouts above on this period; its 30 s default would let slow clients linger.
    connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.floor(Math.min(headersTimeout, requestTimeout || headersTimeout) / 4))),
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const entry = { controller: new AbortController(), done: Promise.resolve() };
    entry.done = handle(req, res, entry.controller).finally(() => inFlight.delete(entry));
    inFlight.add(entry);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    socket.end(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closed: Promise<void> | undefined;

  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      (closed ??= (async () => {
        closing = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const graceMs = options.closeGraceMs ?? 10_000;
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
        await Promise.race([Promise.all([...inFlight].map((entry) => entry.done)), grace]);
        clearTimeout(timer);
        for (const entry of inFlight) entry.controller.abort(new RestainError('UNAVAILABLE', 'The server is shutting down'));
        server.closeAllConnections();
        await stopped;
      })()),
  };
}
