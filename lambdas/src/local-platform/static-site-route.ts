import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiApp } from '../api/app';
import type { ApiRequest, ApiResponse } from '../api/http-types';
import type { ExtraRoute } from './node-server';

export interface StaticSiteRouteOptions {
  /** The Next.js static export (web/out). It may be built after the server started. */
  readonly rootDir: string;
  /** Where `/api` and `/api/...` go: the static route takes every path, so it hands those on. */
  readonly api: ApiApp;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Pages run their own inline bootstrap scripts (Next's RSC payload) and web workers; everything
 * else, fetches included, stays on this origin.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; " +
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Hashed build assets never change under their name; everything else is revalidated (ETag). */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

function page(status: number, title: string, message: string, extra: Record<string, string> = {}): ApiResponse {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} · Restain</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1d2733;line-height:1.5}a{color:#0b5cad}code{background:#eef1f5;padding:0 .25rem}</style></head>
<body><h1>${title}</h1><p>${message}</p><p><a href="/">Go to the upload page</a></p></body></html>`;
  return { status, headers: { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...extra }, body };
}

const NOT_BUILT = page(
  503,
  'The web app is not built',
  'The API runs, but this installation has no web app files. Build them with <code>npm run build:web</code> (or <code>npm test</code>) and reload this page; the API itself is at <code>/api</code>.',
);

interface Found {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

async function fileAt(file: string): Promise<Found | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? { file, size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

/** The export's file for a URL path: exact file, `dir/index.html`, or `name.html` (Next's two export layouts). */
async function resolveFile(root: string, urlPath: string): Promise<Found | 'redirect' | undefined> {
  const relative = path.posix.normalize(urlPath).replace(/^\/+/, '');
  const target = path.join(root, relative);
  if (target !== root && !target.startsWith(root + path.sep)) return undefined;
  if (urlPath.endsWith('/')) return (await fileAt(path.join(target, 'index.html'))) ?? (relative ? fileAt(`${target.replace(/[\\/]+$/, '')}.html`) : undefined);
  const exact = await fileAt(target);
  if (exact) return exact;
  const html = await fileAt(`${target}.html`);
  if (html) return html;
  // A folder page asked for without its trailing slash: send the browser to the canonical URL.
  return (await fileAt(path.join(target, 'index.html'))) ? 'redirect' : undefined;
}

/** Rejects paths that try to leave the export (`..`, backslashes) or reach hidden files. */
function safeUrlPath(urlPath: string): boolean {
  if (urlPath.includes('\\') || urlPath.includes('\0')) return false;
  return urlPath.split('/').every((segment) => segment !== '..' && !(segment.startsWith('.') && segment.length > 0));
}

async function notFound(root: string, method: string): Promise<ApiResponse> {
  const custom = await fileAt(path.join(root, '404.html'));
  if (!custom) return page(404, 'Page not found', 'There is no page at this address.');
  return serveFile(custom, 404, method, undefined, REVALIDATE);
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

function serveFile(found: Found, status: number, method: string, ifNoneMatch: string | undefined, cacheControl: string): ApiResponse {
  const type = CONTENT_TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
  const etag = `"${found.size.toString(16)}-${Math.floor(found.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = { 'content-type': type, 'cache-control': cacheControl, etag, ...(type.startsWith('text/html') ? PAGE_HEADERS : { 'x-content-type-options': 'nosniff' }) };
  if (status === 200 && ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(etag)) return { status: 304, headers };
  // An empty stream rather than no body: the server would otherwise announce content-length 0.
  if (method === 'HEAD') return { status, headers: { ...headers, 'content-length': String(found.size) }, body: emptyBody() };
  return { status, headers, body: createReadStream(found.file) };
}

async function serveStatic(request: ApiRequest, rootDir: string): Promise<ApiResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return page(405, 'Method not allowed', `Pages are read with GET; ${request.method} is not supported here.`, { allow: 'GET, HEAD' });
  }
  let root: string;
  try {
    root = await realpath(rootDir);
  } catch {
    return NOT_BUILT;
  }
  if (!(await fileAt(path.join(root, 'index.html')))) return NOT_BUILT;
  if (!safeUrlPath(request.path)) return notFound(root, request.method);
  const found = await resolveFile(root, request.path);
  if (found === 'redirect') {
    const query = request.query.toString();
    return { status: 308, headers: { location: `${request.path}/${query ? `?${query}` : ''}`, 'cache-control': REVALIDATE } };
  }
  // A symlink inside the export must not lead out of it.
  if (!found || !(await realpath(found.file)).startsWith(root + path.sep)) return notFound(root, request.method);
  const cache = request.path.startsWith('/_next/static/') ? IMMUTABLE : REVALIDATE;
  return serveFile(found, 200, request.method, request.headers['if-none-match'], cache);
}

/** True for the API's own paths (`/api`, `/api/...`), which the static site never answers. */
function isApiPath(urlPath: string): boolean {
  return urlPath === '/api' || urlPath.startsWith('/api/');
}

/**
 * Serves the web app's static export on every non-API path of the local server, as S3 +
 * CloudFront serve it in AWS: `/` and `/jobs/` from their index.html, `.html` fallbacks, a 308
 * to the trailing-slash URL, long-lived caching for hashed `/_next/static` assets, the export's
 * 404 page, and a clear 503 page while the web is not built. Never throws for static paths.
 */
export function createStaticSiteRoute(options: StaticSiteRouteOptions): ExtraRoute {
  return {
    pathPrefix: '/',
    handler: async (request) => {
      if (isApiPath(request.path)) return options.api(request);
      try {
        return await serveStatic(request, options.rootDir);
      } catch {
        return page(500, 'Something went wrong', 'The page could not be read; try again.');
      }
    },
  };
}
