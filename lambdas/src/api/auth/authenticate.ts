import type { ObjectStore } from '@restain/shared';
import type { AppContext } from '../app-context';
import type { ApiRequest } from '../http-types';
import { HttpError } from '../http-error';
import type { RouteAccess } from '../route-spec';
import type { Principal } from '../route-types';
import { type ApiKeyRecord, findApiKey } from './api-keys';

/** How long a verified key is trusted without re-reading its record (revocation delay). */
export const KEY_CACHE_TTL_MS = 10_000;
const MAX_CACHED_KEYS = 1000;

export const LOCAL_PRINCIPAL: Principal = Object.freeze({ owner: 'local', kind: 'local', rateLimitKey: 'local' });

/** Anonymous callers are told apart (for rate limiting) only by their address. */
export function anonymousPrincipal(clientAddress: string): Principal {
  return { owner: 'anonymous', kind: 'anonymous', rateLimitKey: `address:${clientAddress}` };
}

/** Verified keys remembered for a few seconds so each request does not read the store. */
export class ApiKeyCache {
  private readonly entries = new Map<string, { record: ApiKeyRecord; expiresMs: number }>();

  constructor(
    private readonly objects: ObjectStore,
    private readonly now: () => Date,
    private readonly ttlMs = KEY_CACHE_TTL_MS,
  ) {}

  async find(key: string): Promise<ApiKeyRecord | undefined> {
    const nowMs = this.now().getTime();
    const cached = this.entries.get(key);
    if (cached && cached.expiresMs > nowMs) return cached.record;
    this.entries.delete(key);
    const record = await findApiKey(this.objects, key);
    if (!record) return undefined;
    if (this.entries.size >= MAX_CACHED_KEYS) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { record, expiresMs: nowMs + this.ttlMs });
    return record;
  }
}

function unauthenticated(message: string): HttpError {
  return new HttpError('UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer realm="restain"' });
}

/** The key in `Authorization: Bearer <key>`, undefined when the header is absent; 401 when malformed. */
function bearerToken(request: ApiRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthenticated('Expected an Authorization header of the form "Bearer rk_..." but received another scheme');
  return match[1];
}

/**
 * Decides who is calling. A presented key must be valid (401 otherwise, whatever the mode).
 * Without one: the `local` user when keys are not required (loopback), an anonymous caller on
 * the DeepLIIF-compatible routes when the operator allows it, and 401 everywhere else.
 */
export async function authenticate(
  request: ApiRequest,
  context: AppContext,
  options: { readonly access?: RouteAccess; readonly keys?: ApiKeyCache } = {},
): Promise<Principal> {
  const access = options.access ?? 'jobs';
  const token = bearerToken(request);
  if (token !== undefined) {
    const record = options.keys ? await options.keys.find(token) : await findApiKey(context.objects, token);
    if (!record) throw unauthenticated('Expected a valid API key but received an unknown or revoked one');
    return { owner: record.id, kind: 'api-key', rateLimitKey: `key:${record.id}` };
  }
  if (!context.config.requireApiKeys) return LOCAL_PRINCIPAL;
  if (access === 'deepliif' && context.config.anonymousDeepliif) return anonymousPrincipal(request.clientAddress);
  throw unauthenticated('Expected an API key in "Authorization: Bearer rk_..." but received none');
}
