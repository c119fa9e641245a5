import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ObjectStore } from '@restain/shared';
import type { ApiResponse } from '../api/http-types';

/**
 * Largest body answered inline. Lambda caps a synchronous response at 6 MB
 * (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html) and binary bodies
 * travel base64-encoded (4/3 larger): 4 MiB of bytes is 5.6 MB encoded, leaving room for headers.
 */
export const MAX_INLINE_BODY_BYTES = 4 * 1024 * 1024;

/** Where bodies too large to answer inline are parked for a presigned download (the stack expires them after a day). */
export const LARGE_RESPONSE_PREFIX = 'downloads/';

export interface LargeResponseOptions {
  readonly objects: ObjectStore;
  /** Lifetime of the presigned GET (the API's signed URL lifetime). */
  readonly urlTtlSeconds: number;
  readonly method: string;
  readonly maxInlineBytes?: number;
}

/** Reads `body` until it ends or passes `limit` bytes; the rest stays in `rest` to be read. */
async function readUpTo(body: AsyncIterable<Uint8Array>, limit: number): Promise<{ chunks: Uint8Array[]; size: number; rest?: AsyncIterator<Uint8Array> }> {
  const iterator = body[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) return { chunks, size };
    chunks.push(next.value);
    size += next.value.byteLength;
    if (size > limit) return { chunks, size, rest: iterator };
  }
}

async function* rejoin(head: readonly Uint8Array[], rest?: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  yield* head;
  if (!rest) return;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** `attachment; filename="a.zip"` -> `a.zip` (attachment only: inline files keep their browser display). */
function attachmentName(disposition: string | undefined): string | undefined {
  if (!disposition || !/^\s*attachment/i.test(disposition)) return undefined;
  return /filename="([^"]+)"/i.exec(disposition)?.[1];
}

/**
 * Parks a too-large body in the object store and answers with a redirect to a presigned GET of
 * it (303 after a POST, so the client fetches it with GET; 302 otherwise). The key is random and
 * the object private: only the caller holding the URL can read it until it expires.
 */
async function redirectToParkedBody(response: ApiResponse, body: AsyncIterable<Uint8Array>, options: LargeResponseOptions): Promise<APIGatewayProxyStructuredResultV2> {
  const headers = response.headers ?? {};
  const downloadFilename = attachmentName(headers['content-disposition']);
  const name = (downloadFilename ?? 'response').replace(/[^\w.-]/g, '_').slice(0, 100);
  const key = `${LARGE_RESPONSE_PREFIX}${randomUUID()}/${name}`;
  await options.objects.put(key, body, { ifNoneMatch: '*', ...(headers['content-type'] ? { contentType: headers['content-type'] } : {}) });
  const location = await options.objects.presignGet(key, { expiresInSeconds: options.urlTtlSeconds, ...(downloadFilename ? { downloadFilename } : {}) });
  const kept: Record<string, string> = {};
  for (const [header, value] of Object.entries(headers)) if (!header.startsWith('content-')) kept[header] = value;
  const status = options.method === 'GET' || options.method === 'HEAD' ? 302 : 303;
  return { statusCode: status, headers: { ...kept, location, 'cache-control': 'no-store' }, body: '', isBase64Encoded: false };
}

/**
 * The API app's response as API Gateway's (payload 2.0): strings as text, bytes and streams
 * base64-encoded, and a body larger than Lambda can return redirected to a presigned download.
 */
export async function toApiGatewayResult(response: ApiResponse, options: LargeResponseOptions): Promise<APIGatewayProxyStructuredResultV2> {
  const limit = options.maxInlineBytes ?? MAX_INLINE_BODY_BYTES;
  const { body } = response;
  const headers = { ...response.headers };
  if (body === undefined) return { statusCode: response.status, headers, body: '', isBase64Encoded: false };
  if (typeof body === 'string') {
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes <= limit) return { statusCode: response.status, headers, body, isBase64Encoded: false };
    return redirectToParkedBody(response, rejoin([Buffer.from(body, 'utf8')]), options);
  }
  const read = body instanceof Uint8Array ? { chunks: [body], size: body.byteLength } : await readUpTo(body, limit);
  if (read.size > limit) return redirectToParkedBody(response, rejoin(read.chunks, 'rest' in read ? read.rest : undefined), options);
  // content-length is API Gateway's to set: a stale one (e.g. a route's) would break the framing.
  delete headers['content-length'];
  return { statusCode: response.status, headers, body: Buffer.concat(read.chunks).toString('base64'), isBase64Encoded: true };
}
