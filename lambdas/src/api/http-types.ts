/**
 * The API app's own request/response shapes, free of any server framework: the local Node server
 * and the API Gateway Lambda handler each translate to and from these.
 */

export interface ApiRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Decoded path without the query string, e.g. `/api/jobs/123`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body as a stream; readers enforce their own size limits. */
  readonly body: AsyncIterable<Uint8Array>;
  /** The client's address (socket address locally, sourceIp on API Gateway). */
  readonly clientAddress: string;
  /** Aborted when the client goes away or the server stops. */
  readonly signal: AbortSignal;
}

export type ApiBody = string | Uint8Array | AsyncIterable<Uint8Array>;

export interface ApiResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: ApiBody;
}

/** A JSON response (content type set, body serialised). */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}
