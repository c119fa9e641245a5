import { RestainError, isRestainError } from '@restain/shared';
import { HttpError } from './http-error';
import { type ApiResponse, json } from './http-types';

/** Node filesystem errors that mean "out of space": answered 507 even when an adapter did not translate them. */
const STORAGE_FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/** Headers every API response carries: JSON and files are data, never pages to frame or sniff. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
});

/** The error as the client sees it, or undefined when it is not one of ours (a bug: answered 500 generically). */
export function toRestainError(error: unknown): RestainError | undefined {
  if (isRestainError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && STORAGE_FULL_CODES.has(code)) {
    return new RestainError('INSUFFICIENT_STORAGE', 'The server ran out of storage space; try again later', { cause: error });
  }
  return undefined;
}

/**
 * Maps any thrown value to `{error: {code, message}}` with the right status. Errors that are not
 * ours are bugs: the client gets a generic message and the request id; the log gets the stack.
 */
export function errorResponse(error: unknown, requestId: string, log: (line: string) => void, where: string): ApiResponse {
  const known = toRestainError(error);
  const status = known?.httpStatus ?? 500;
  if (!known || status >= 500) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`[api] request ${requestId} ${where} failed with ${status}: ${detail}`);
  }
  const body = known
    ? { error: { code: known.code, message: known.message, requestId } }
    : { error: { code: 'INTERNAL', message: `Internal error; quote request id ${requestId} when reporting it`, requestId } };
  const extra = error instanceof HttpError ? error.headers : {};
  return json(status, body, { ...extra, ...SECURITY_HEADERS, 'cache-control': 'no-store', 'x-request-id': requestId });
}

