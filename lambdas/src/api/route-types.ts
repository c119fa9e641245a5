import type { AppContext } from './app-context';
import type { ApiRequest, ApiResponse } from './http-types';

/** Who is calling: decided once per request by the auth step, before any route runs. */
export interface Principal {
  /** Owner id stamped on the jobs this caller creates: an API key's id, `local`, or `anonymous`. */
  readonly owner: string;
  readonly kind: 'api-key' | 'local' | 'anonymous';
  /** Bucket for rate limiting: the key id, or the client address for anonymous callers. */
  readonly rateLimitKey: string;
}

/** A route handler: path parameters already extracted (`/api/jobs/{jobId}` -> `{ jobId }`). */
export type RouteHandler = (
  request: ApiRequest,
  context: AppContext,
  principal: Principal,
  params: Readonly<Record<string, string>>,
) => Promise<ApiResponse>;
