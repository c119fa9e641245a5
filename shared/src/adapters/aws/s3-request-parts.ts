import { RestainError } from '../../errors';
import { assertObjectKey } from '../../ports/object-key';

/** S3 ListObjectsV2's page limit. */
export const MAX_LIST_LIMIT = 1000;
/** SigV4 presigned URLs live at most 7 days. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** Throws unless `prefix` is a key cut anywhere: no empty, `.` or `..` segments, backslashes or control characters. */
export function assertKeyPrefix(prefix: string): void {
  try {
    assertObjectKey(`${prefix}x`);
  } catch {
    throw new RestainError('INVALID_ARGUMENT', `Expected a key prefix without empty, "." or ".." segments, backslashes or control characters but received ${JSON.stringify(prefix)}`);
  }
}

export function assertListLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a list limit from 1 to ${MAX_LIST_LIMIT} but received ${limit}`);
  }
}

/** Whole seconds for a presigned URL's lifetime (S3 counts whole seconds); INVALID_ARGUMENT outside (0, 7 days]. */
export function presignExpiry(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_PRESIGN_SECONDS) {
    throw new RestainError('INVALID_ARGUMENT', `Expected expiresInSeconds in (0, ${MAX_PRESIGN_SECONDS}] but received ${seconds}`);
  }
  return Math.max(1, Math.floor(seconds));
}

/**
 * `attachment` Content-Disposition for a download name: a plain ASCII `filename` (the same
 * sanitising as the local signed-URL route) plus the exact name as RFC 5987 `filename*`.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\w.\- ]/g, '_').slice(0, 200) || 'download';
  const exact = encodeURIComponent(name.slice(0, 200)).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

/** Wraps a streamed body so the bytes that passed through can be read afterwards. */
export function countBytes(body: AsyncIterable<Uint8Array>): { readonly body: AsyncIterable<Uint8Array>; bytes(): number } {
  let total = 0;
  async function* counting(): AsyncGenerator<Uint8Array> {
    for await (const chunk of body) {
      total += chunk.byteLength;
      yield chunk;
    }
  }
  return { body: counting(), bytes: () => total };
}

type Handler = (args: { readonly request: unknown }) => Promise<unknown>;
const CHECKSUM_HEADER = /^x-amz-(checksum-|sdk-checksum-algorithm$)/i;

/**
 * Drops the SDK's flexible-checksum headers from a command about to be presigned: by default it
 * would sign the CRC32 of an empty body into a presigned PUT, and S3 would refuse every real
 * upload (BadDigest). Runs in the build step after the checksum middleware.
 */
export function withoutChecksumHeaders<T extends { readonly middlewareStack: unknown }>(command: T): T {
  const stack = command.middlewareStack as { add(middleware: (next: Handler) => Handler, options: { step: 'build'; priority: 'low'; name: string }): void };
  stack.add(
    (next) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      for (const name of Object.keys(headers)) if (CHECKSUM_HEADER.test(name)) delete headers[name];
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'restainPresignWithoutChecksums' },
  );
  return command;
}
