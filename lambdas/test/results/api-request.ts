import fs from 'node:fs';
import sharp from 'sharp';
import type { ApiBody, ApiRequest, ApiResponse } from '../../src/api/http-types';
import type { Principal } from '../../src/api/route-types';

const BOUNDARY = 'restain-test-boundary-2f1c';

export const LOCAL_PRINCIPAL: Principal = { owner: 'local', kind: 'local', rateLimitKey: 'local' };
export const ANONYMOUS_PRINCIPAL: Principal = { owner: 'anonymous', kind: 'anonymous', rateLimitKey: '203.0.113.9' };
export const OTHER_KEY_PRINCIPAL: Principal = { owner: 'key-other', kind: 'api-key', rateLimitKey: 'key-other' };

/** A multipart/form-data request as a DeepLIIF client sends it: files by field name, query string. */
export function multipartRequest(path: string, query: string, files: Record<string, { filename: string; bytes: Buffer }>): ApiRequest {
  const parts: Buffer[] = [];
  for (const [field, file] of Object.entries(files)) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.filename}"\r\nContent-Type: image/png\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  const body = Buffer.concat(parts);
  return {
    method: 'POST',
    path,
    query: new URLSearchParams(query),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) },
    body: (async function* () {
      for (let i = 0; i < body.length; i += 16 * 1024) yield new Uint8Array(body.subarray(i, i + 16 * 1024));
    })(),
    clientAddress: '127.0.0.1',
    signal: new AbortController().signal,
  };
}

export function getRequest(path: string, query = ''): ApiRequest {
  return {
    method: 'GET',
    path,
    query: new URLSearchParams(query),
    headers: {},
    body: (async function* () {})(),
    clientAddress: '127.0.0.1',
    signal: new AbortController().signal,
  };
}

export const fileOf = (filePath: string, filename = filePath.split('/').pop() ?? 'image.png') => ({ filename, bytes: fs.readFileSync(filePath) });

export async function bodyBytes(body: ApiBody | undefined): Promise<Buffer> {
  if (body === undefined) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The response's JSON body. */
export async function jsonBody<T = Record<string, any>>(response: ApiResponse): Promise<T> {
  return JSON.parse((await bodyBytes(response.body)).toString('utf8')) as T;
}

/** Width, height and channels of a base64 PNG from a DeepLIIF answer. */
export async function decodedPng(base64: string): Promise<{ width: number; height: number; format: string }> {
  const meta = await sharp(Buffer.from(base64, 'base64')).metadata();
  return { width: meta.width, height: meta.height, format: meta.format };
}
