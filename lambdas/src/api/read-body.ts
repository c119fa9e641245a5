import { RestainError, collectBytes } from '@restain/shared';
import type { ApiRequest } from './http-types';

/** Largest JSON request body any route accepts (job parameters, thresholds, feedback). */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** The media type of the request body, lower case without parameters (`application/json`), or ''. */
export function mediaType(request: ApiRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/** PAYLOAD_TOO_LARGE up front when the declared Content-Length is over the limit (nothing read). */
export function assertDeclaredLength(request: ApiRequest, maxBytes: number): void {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    throw new RestainError('PAYLOAD_TOO_LARGE', `Expected a request body of at most ${maxBytes} bytes but Content-Length is ${declared}`);
  }
}

/** Reads the whole body, failing with PAYLOAD_TOO_LARGE as soon as it passes `maxBytes` (the rest is never read). */
export async function readBodyBytes(request: ApiRequest, maxBytes: number): Promise<Uint8Array> {
  assertDeclaredLength(request, maxBytes);
  return collectBytes(request.body, {
    maxBytes,
    tooLarge: () => new RestainError('PAYLOAD_TOO_LARGE', `Expected a request body of at most ${maxBytes} bytes but received more`),
  });
}

/** A JSON object body (UNSUPPORTED_MEDIA_TYPE unless Content-Type is application/json, INVALID_ARGUMENT unless an object). */
export async function readJsonObject(request: ApiRequest, maxBytes = MAX_JSON_BODY_BYTES): Promise<Record<string, unknown>> {
  const type = mediaType(request);
  if (type !== 'application/json') {
    throw new RestainError('UNSUPPORTED_MEDIA_TYPE', `Expected Content-Type application/json but received ${JSON.stringify(type || 'none')}`);
  }
  const text = new TextDecoder().decode(await readBodyBytes(request, maxBytes));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RestainError('INVALID_ARGUMENT', `Expected a JSON body but received ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a JSON object body but received ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

/** INVALID_ARGUMENT naming the first field that is not in `allowed` (catches typos like `seg_threshold`). */
export function rejectUnknownFields(fields: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(fields).find((name) => !allowed.includes(name));
  if (unknown !== undefined) {
    throw new RestainError('INVALID_ARGUMENT', `Expected only the fields ${allowed.join(', ')} but received ${JSON.stringify(unknown)}`);
  }
}
