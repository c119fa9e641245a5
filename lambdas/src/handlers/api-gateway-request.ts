import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiRequest } from '../api/http-types';
import { decodeRequestPath } from '../api/request-path';

/** The whole body as one chunk (API Gateway delivers it whole, base64 when binary). */
async function* oneChunk(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  if (bytes.byteLength > 0) yield bytes;
}

/**
 * An API Gateway HTTP API (payload format 2.0) event as the API app's request: decoded path, the
 * raw query string parsed, lower-case headers with the `cookies` array folded back into `cookie`,
 * the body decoded from base64 when API Gateway encoded it, and `sourceIp` as the client address.
 * `signal` is the caller's (aborted when the function is about to time out).
 */
export function toApiRequest(event: APIGatewayProxyEventV2, signal: AbortSignal): ApiRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  if (event.cookies?.length) headers.cookie = event.cookies.join('; ');
  const body = event.body === undefined ? new Uint8Array(0) : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return {
    method: event.requestContext.http.method.toUpperCase(),
    path: decodeRequestPath(event.rawPath),
    query: new URLSearchParams(event.rawQueryString ?? ''),
    headers,
    body: oneChunk(body),
    clientAddress: event.requestContext.http.sourceIp,
    signal,
  };
}
