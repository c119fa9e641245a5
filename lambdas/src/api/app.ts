import { randomUUID } from 'node:crypto';
import type { AppContext } from './app-context';
import { ApiKeyCache, anonymousPrincipal, authenticate } from './auth/authenticate';
import { SECURITY_HEADERS, errorResponse } from './error-response';
import type { ApiRequest, ApiResponse } from './http-types';
import { RateLimiter } from './rate-limit';
import type { RouteSpec } from './route-spec';
import { createRouter } from './router';
import { API_ROUTES } from './routes/route-table';

/** The whole API as one function: the Node server and the Lambda handler both call it. Never throws. */
export type ApiApp = (request: ApiRequest) => Promise<ApiResponse>;

export interface ApiAppOptions {
  /** Where failures that are our bugs are logged (one line each, with the request id); default console.error. */
  readonly log?: (line: string) => void;
  /** The route table (default API_ROUTES); tests may pass a subset. */
  readonly routes?: readonly RouteSpec[];
}

/**
 * Builds the API app: route, authenticate, rate-limit, run the handler, and turn every error
 * into `{error: {code, message}}` with its status. Every response carries `x-request-id` and
 * the security headers; JSON is never cached.
 */
export function createApiApp(context: AppContext, options: ApiAppOptions = {}): ApiApp {
  const log = options.log ?? ((line: string) => console.error(line));
  const route = createRouter(options.routes ?? API_ROUTES);
  const keys = new ApiKeyCache(context.objects, context.now);
  const limiter = new RateLimiter(context.config.rateLimitPerMinute, context.now);

  return async (request) => {
    const requestId = randomUUID();
    try {
      const match = route(request.method, request.path);
      const access = match.route.access;
      const principal =
        access === 'public' ? anonymousPrincipal(request.clientAddress) : await authenticate(request, context, { access, keys });
      // The local user (loopback only) is the machine's owner: it is not throttled.
      if (access !== 'public' && principal.kind !== 'local') limiter.take(principal.rateLimitKey);
      const response = await match.route.handler(request, context, principal, match.params);
      const headers: Record<string, string> = { ...response.headers, ...SECURITY_HEADERS, 'x-request-id': requestId };
      if (headers['cache-control'] === undefined) headers['cache-control'] = 'no-store';
      return { ...response, headers };
    } catch (error) {
      return errorResponse(error, requestId, log, `${request.method} ${request.path}`);
    }
  };
}
