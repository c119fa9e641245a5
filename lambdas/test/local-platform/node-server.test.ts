import http from 'node:http';
import net from 'node:net';
import { RestainError } from '@restain/shared';
import type { ApiApp } from '../../src/api/app';
import { json } from '../../src/api/http-types';
import { readBodyBytes } from '../../src/api/read-body';
import { type NodeServerOptions, type RunningServer, startNodeServer } from '../../src/local-platform/node-server';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serve(app: ApiApp, options: Partial<NodeServerOptions> = {}): Promise<RunningServer> {
  const server = await startNodeServer(app, { host: '127.0.0.1', port: 0, log: () => undefined, ...options });
  servers.push(server);
  return server;
}

/** Opens a raw TCP connection, writes `head`, and resolves with everything received until the server closes it. */
function rawExchange(port: number, head: string, timeoutMs: number): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(head));
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`server kept the connection open for ${timeoutMs} ms; received ${JSON.stringify(text)}`));
    }, timeoutMs);
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
  });
}

describe('startNodeServer', () => {
  test('streams request and response bodies both ways, with query and headers translated', async () => {
    const server = await serve(async (request) => {
      async function* echo() {
        for await (const chunk of request.body) yield chunk;
      }
      return { status: 200, headers: { 'content-type': 'application/octet-stream', 'x-q': request.query.get('q') ?? '', 'x-path': request.path, 'x-addr': request.clientAddress }, body: echo() };
    });
    const payload = new Uint8Array(5 * 1024 * 1024).map((_, i) => i % 251);
    const answer = await fetch(`${server.url}/api/a%20b?q=1%2B1`, { method: 'POST', body: payload });
    expect(answer.headers.get('x-q')).toBe('1+1');
    expect(answer.headers.get('x-path')).toBe('/api/a b');
    expect(answer.headers.get('x-addr')).toBe('127.0.0.1');
    expect(Buffer.from(await answer.arrayBuffer()).equals(Buffer.from(payload))).toBe(true);
  });

  test('a malformed path is 400 and extra routes take their prefix', async () => {
    const server = await serve(async () => json(200, { from: 'app' }), {
      extraRoutes: [{ pathPrefix: '/api/objects/', handler: async () => json(200, { from: 'extra' }) }],
    });
    expect((await fetch(`${server.url}/api/%ZZ`)).status).toBe(400);
    expect(await (await fetch(`${server.url}/api/objects/a`)).json()).toEqual({ from: 'extra' });
    expect(await (await fetch(`${server.url}/api/jobs`)).json()).toEqual({ from: 'app' });
  });

  test('a handler that throws still gets a JSON 500', async () => {
    const server = await serve(async () => {
      throw new Error('bug');
    });
    const answer = await fetch(`${server.url}/x`);
    expect(answer.status).toBe(500);
    expect((await answer.json()).error.code).toBe('INTERNAL');
  });

  test('keeps connections alive between requests', async () => {
    const server = await serve(async () => json(200, {}));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ports: number[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        http.get(`${server.url}/x`, { agent }, (response) => {
          ports.push(response.socket.localPort as number);
          response.resume().on('end', resolve);
        }).on('error', reject);
      });
    }
    agent.destroy();
    expect(new Set(ports).size).toBe(1);
  });

  test('a client that never finishes its headers is cut off after headersTimeout', async () => {
    const server = await serve(async () => json(200, {}), { headersTimeoutMs: 400, requestTimeoutMs: 2000 });
    const { text, closedAfterMs } = await rawExchange(server.port, 'GET /x HTTP/1.1\r\nHost: a\r\n', 5000);
    expect(closedAfterMs).toBeLessThan(2000);
    expect(closedAfterMs).toBeGreaterThanOrEqual(350);
    if (text) expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  test('a body that stops arriving gets 408 after the idle timeout and the connection is closed', async () => {
    const server = await serve(async (request) => json(200, { bytes: (await readBodyBytes(request, 1000)).length }), { bodyIdleTimeoutMs: 300 });
    const head = 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n0123456789';
    const { text, closedAfterMs } = await rawExchange(server.port, head, 5000);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('REQUEST_TIMEOUT');
    expect(closedAfterMs).toBeLessThan(1500);
  });

  test('an oversized streamed body gets 413 long before it is all sent, and is never buffered whole', async () => {
    let received = 0;
    const server = await serve(async (request) => {
      const counted = {
        async *[Symbol.asyncIterator]() {
          for await (const chunk of request.body) {
            received += chunk.byteLength;
            yield chunk;
          }
        },
      };
      return json(200, { bytes: (await readBodyBytes({ ...request, body: counted }, 1024 * 1024)).length });
    });
    const total = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 1);
    let sent = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/upload`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (response) => {
        resolve(response.statusCode as number);
        response.resume();
        req.destroy();
      });
      req.on('error', (error) => (sent < total ? undefined : reject(error)));
      const pump = () => {
        while (sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    expect(sent).toBeLessThan(total / 4);
    expect(received).toBeLessThan(2 * 1024 * 1024);
  });

  test("the request's signal aborts when the client goes away", async () => {
    let aborted: (reason: unknown) => void = () => undefined;
    const sawAbort = new Promise((resolve) => (aborted = resolve));
    const server = await serve(
      (request) =>
        new Promise((resolve) => {
          request.signal.addEventListener('abort', () => {
            aborted(request.signal.reason);
            resolve(json(200, {}));
          });
        }),
    );
    const controller = new AbortController();
    const pending = fetch(`${server.url}/wait`, { signal: controller.signal }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    expect(await pending).toBe('aborted');
    const reason = await Promise.race([sawAbort, new Promise((resolve) => setTimeout(() => resolve('no abort'), 2000))]);
    expect(reason).toBeInstanceOf(RestainError);
  });

  test('close lets in-flight requests finish, refuses new ones, and aborts those past the grace period', async () => {
    const slow = await startNodeServer(
      async (request) => {
        if (request.path === '/forever') {
          await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
          return json(503, {});
        }
        await new Promise((resolve) => setTimeout(resolve, 300));
        return json(200, { done: true });
      },
      { host: '127.0.0.1', port: 0, closeGraceMs: 800, log: () => undefined },
    );
    const inFlight = fetch(`${slow.url}/slow`).then(async (response) => ({ status: response.status, body: await response.json() }));
    const forever = fetch(`${slow.url}/forever`).then((response) => response.status, () => 'reset');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const closing = slow.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${slow.url}/slow`)).rejects.toThrow();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await closing;
    const tookMs = Date.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(700);
    expect(tookMs).toBeLessThan(3000);
    expect([503, 'reset']).toContain(await forever);
  });
});
