import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { json } from '../../src/api/http-types';
import { type RunningServer, startNodeServer } from '../../src/local-platform/node-server';
import { createStaticSiteRoute } from '../../src/local-platform/static-site-route';

let dir: string;
let root: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'static-site-'));
  root = path.join(dir, 'out');
  const files: Record<string, string> = {
    'index.html': '<!doctype html><title>home</title>',
    'jobs/index.html': '<!doctype html><title>jobs</title>',
    'terms.html': '<!doctype html><title>terms</title>',
    '404.html': '<!doctype html><title>custom 404</title>',
    '_next/static/chunks/app-1a2b3c.js': 'console.log(1)',
    '_next/static/css/site-9f8e.css': 'body{}',
    'icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    '.env': 'SECRET=1',
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  await writeFile(path.join(dir, 'outside.txt'), 'private');
  await symlink(path.join(dir, 'outside.txt'), path.join(root, 'leak.txt'));
  const route = createStaticSiteRoute({ rootDir: root, api: async (request) => json(200, { api: request.path }) });
  server = await startNodeServer(async () => json(500, { wrong: 'app' }), { host: '127.0.0.1', port: 0, extraRoutes: [route], log: () => undefined });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A request with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(requestPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1', () => socket.write(`GET ${requestPath} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
  });
}

describe('createStaticSiteRoute', () => {
  test('serves index.html at / and folder pages at their trailing-slash URL, as HTML that is revalidated', async () => {
    const home = await fetch(`${server.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(home.headers.get('cache-control')).toBe('no-cache');
    expect(home.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await home.text()).toContain('<title>home</title>');
    const jobs = await fetch(`${server.url}/jobs/?x=1`);
    expect(await jobs.text()).toContain('<title>jobs</title>');
  });

  test('redirects a folder page without its slash, keeping the query, and resolves name.html', async () => {
    const answer = await fetch(`${server.url}/jobs?id=7`, { redirect: 'manual' });
    expect(answer.status).toBe(308);
    expect(answer.headers.get('location')).toBe('/jobs/?id=7');
    expect(await (await fetch(`${server.url}/terms`)).text()).toContain('<title>terms</title>');
    expect(await (await fetch(`${server.url}/terms/`)).text()).toContain('<title>terms</title>');
  });

  test('hashed _next/static assets are immutable with their content type; ETags give 304', async () => {
    const script = await fetch(`${server.url}/_next/static/chunks/app-1a2b3c.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${server.url}/_next/static/css/site-9f8e.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const icon = await fetch(`${server.url}/icon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    const again = await fetch(`${server.url}/icon.svg`, { headers: { 'if-none-match': icon.headers.get('etag') as string } });
    expect(again.status).toBe(304);
    const head = await fetch(`${server.url}/icon.svg`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('41');
  });

  test('API paths go to the API app, not to files', async () => {
    expect(await (await fetch(`${server.url}/api/jobs`)).json()).toEqual({ api: '/api/jobs' });
    expect(await (await fetch(`${server.url}/api`)).json()).toEqual({ api: '/api' });
    // A page whose name merely starts with "api" is still a page (here: not found).
    expect((await fetch(`${server.url}/apiary`)).status).toBe(404);
  });

  test('unknown paths get the export 404 page with status 404', async () => {
    const answer = await fetch(`${server.url}/no/such/page`);
    expect(answer.status).toBe(404);
    expect(await answer.text()).toContain('custom 404');
  });

  test('no path traversal, hidden files or symlinks out of the export', async () => {
    for (const attempt of ['/../outside.txt', '/%2e%2e/outside.txt', '/jobs/..%2f..%2foutside.txt', '/..%5coutside.txt']) {
      const raw = await rawGet(attempt);
      expect(raw).not.toContain('private');
      expect(raw).toMatch(/^HTTP\/1\.1 (404|400)/);
    }
    expect((await fetch(`${server.url}/.env`)).status).toBe(404);
    const leak = await fetch(`${server.url}/leak.txt`);
    expect(leak.status).toBe(404);
    expect(await leak.text()).not.toContain('private');
  });

  test('other methods are 405 with Allow', async () => {
    const answer = await fetch(`${server.url}/`, { method: 'POST', body: 'x' });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('GET, HEAD');
  });

  test('an unbuilt web answers a clear 503 page while the API keeps working', async () => {
    const route = createStaticSiteRoute({ rootDir: path.join(dir, 'missing'), api: async () => json(200, { ok: true }) });
    const bare = await startNodeServer(async () => json(500, {}), { host: '127.0.0.1', port: 0, extraRoutes: [route], log: () => undefined });
    try {
      const answer = await fetch(`${bare.url}/jobs/`);
      expect(answer.status).toBe(503);
      expect(await answer.text()).toContain('npm run build:web');
      expect(await (await fetch(`${bare.url}/api/health`)).json()).toEqual({ ok: true });
    } finally {
      await bare.close();
    }
  });
});
