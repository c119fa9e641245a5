import { createHmac, timingSafeEqual } from 'node:crypto';
import { RestainError } from '../../errors';
import { assertObjectKey } from '../../ports/object-key';
import type { PresignOptions } from '../../ports/object-store';

/** The longest a signed URL may live: S3's SigV4 presign limit (7 days), so both homes agree. */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;

export type SignedMethod = 'GET' | 'PUT';

/** What a verified signed request allows beyond the method and key. */
export interface SignedRequestGrant {
  /** Uploads: the body's required content type. */
  readonly contentType?: string;
  /** Downloads: the attachment file name to send. */
  readonly downloadFilename?: string;
}

function signature(secret: string, method: SignedMethod, key: string, expires: number, grant: SignedRequestGrant): string {
  const text = [method, key, String(expires), grant.contentType ?? '', grant.downloadFilename ?? ''].join('\n');
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

/**
 * A URL for `method` on `key` at `${base}/api/objects/<key>` that stays valid for
 * `options.expiresInSeconds` from `now` (the shape of an S3 presigned URL: query-string auth).
 */
export function createSignedUrl(base: string, secret: string, method: SignedMethod, key: string, options: PresignOptions, now: Date): string {
  assertObjectKey(key);
  const seconds = options.expiresInSeconds;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SIGNED_URL_SECONDS) {
    throw new RestainError('INVALID_ARGUMENT', `Expected expiresInSeconds in (0, ${MAX_SIGNED_URL_SECONDS}] but received ${seconds}`);
  }
  const expires = Math.floor(now.getTime() / 1000 + seconds);
  const grant: SignedRequestGrant = { contentType: options.contentType, downloadFilename: options.downloadFilename };
  const path = key.split('/').map(encodeURIComponent).join('/');
  let url = `${base.replace(/\/+$/, '')}/api/objects/${path}?method=${method}&expires=${expires}&signature=${signature(secret, method, key, expires, grant)}`;
  if (grant.contentType !== undefined) url += `&contentType=${encodeURIComponent(grant.contentType)}`;
  if (grant.downloadFilename !== undefined) url += `&filename=${encodeURIComponent(grant.downloadFilename)}`;
  return url;
}

/**
 * Checks the query of a signed request for `method` on `key` (the decoded key from the path):
 * UNAUTHENTICATED when the signature is missing, wrong, for another method or key, or expired.
 */
export function verifySignedUrl(secret: string, method: SignedMethod, key: string, query: URLSearchParams, now: Date): SignedRequestGrant {
  const given = query.get('signature');
  const expiresText = query.get('expires');
  if (!given || !expiresText) {
    throw new RestainError('UNAUTHENTICATED', `Expected a signed URL with expires and signature parameters but received ${given ? 'no expires' : 'no signature'}`);
  }
  const signedMethod = query.get('method');
  if (signedMethod !== method) {
    throw new RestainError('UNAUTHENTICATED', `Expected a URL signed for ${method} but it was signed for ${JSON.stringify(signedMethod)}`);
  }
  const expires = /^\d{1,12}$/.test(expiresText) ? Number(expiresText) : NaN;
  const grant: SignedRequestGrant = {
    ...(query.has('contentType') ? { contentType: query.get('contentType') as string } : {}),
    ...(query.has('filename') ? { downloadFilename: query.get('filename') as string } : {}),
  };
  const expected = Buffer.from(Number.isNaN(expires) ? '' : signature(secret, method, key, expires, grant), 'hex');
  const received = /^[0-9a-f]{64}$/.test(given) ? Buffer.from(given, 'hex') : Buffer.alloc(0);
  // Equal lengths first: timingSafeEqual throws otherwise, and a wrong length leaks nothing secret.
  if (expected.length === 0 || received.length !== expected.length || !timingSafeEqual(received, expected)) {
    throw new RestainError('UNAUTHENTICATED', `Expected a valid signature for ${method} ${key} but the signature does not match`);
  }
  if (now.getTime() >= expires * 1000) {
    throw new RestainError('UNAUTHENTICATED', `signed URL expired at ${new Date(expires * 1000).toISOString()}`);
  }
  return grant;
}
