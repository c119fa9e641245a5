import type { JobView, PlatformConfig, PlatformStatus, ResultView } from './api-types';

/** A failed API call: the server's `{error: {code, message}}`, or what went wrong on the way. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status; 0 when the server was not reached. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The error a non-2xx answer stands for, whatever its body (JSON error, HTML from a proxy, nothing). */
export function errorFromResponse(status: number, statusText: string, bodyText: string): ApiError {
  let parsed: { error?: { code?: unknown; message?: unknown } } | undefined;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const error = parsed?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const hint = status === 401 ? ' Enter an API key under "API key" in the header.' : '';
    return new ApiError(error.code, `${error.message}${hint}`, status);
  }
  const reason = status === 502 || status === 503 || status === 504 ? 'the service is unavailable; try again shortly' : 'unexpected answer';
  return new ApiError(`HTTP_${status}`, `The server answered ${status}${statusText ? ` ${statusText}` : ''} (${reason})`, status);
}

/** What to tell the user about any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Headers for an API call: the key as a Bearer token when one is set. */
export function authHeaders(apiKey: string | undefined): Record<string, string> {
  const key = apiKey?.trim();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/**
 * A URL the API returned (absolute, with its own idea of its public host) as a path on this
 * origin: the web is always served beside /api, so this survives proxies and host aliases.
 */
export function sameOriginPath(url: string): string {
  if (url.startsWith('/')) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

export interface ApiClientOptions {
  readonly apiKey?: string;
  /** Injected in tests; the browser's fetch otherwise. */
  readonly fetch?: typeof fetch;
}

type RequestInitLite = { method?: string; json?: unknown; signal?: AbortSignal };

/** A small client for the jobs API; every failure is an ApiError with a message fit to show. */
export function createApiClient(options: ApiClientOptions = {}) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function send(path: string, init: RequestInitLite = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(options.apiKey) };
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(sameOriginPath(path), {
        method: init.method ?? 'GET',
        headers,
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
        signal: init.signal,
        cache: 'no-store',
      });
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') throw error;
      throw new ApiError('NETWORK', 'Could not reach the Restain server; check your connection and try again', 0);
    }
    if (!response.ok) throw errorFromResponse(response.status, response.statusText, await response.text().catch(() => ''));
    return response;
  }

  async function request<T>(path: string, init?: RequestInitLite): Promise<T> {
    const response = await send(path, init);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError('BAD_RESPONSE', `Expected JSON from ${path} but received ${JSON.stringify(text.slice(0, 60))}`, response.status);
    }
  }

  return {
    config: (signal?: AbortSignal) => request<PlatformConfig>('/api/config', { signal }),
    getStatus: async (signal?: AbortSignal) => request<PlatformStatus>('/api/status', { signal }),
    listJobs: async (signal?: AbortSignal) => (await request<{ jobs: JobView[] }>('/api/jobs?limit=100', { signal })).jobs,
    getJob: async (id: string, signal?: AbortSignal) => (await request<{ job: JobView }>(`/api/jobs/${encodeURIComponent(id)}`, { signal })).job,
    deleteJob: (id: string) => request<void>(`/api/jobs/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    getResults: (id: string, version?: number, signal?: AbortSignal) =>
      request<ResultView>(`/api/jobs/${encodeURIComponent(id)}/results${version === undefined ? '' : `?version=${version}`}`, { signal }),
    rescore: async (id: string, thresholds: Record<string, unknown>) =>
      (await request<{ version: ResultView }>(`/api/jobs/${encodeURIComponent(id)}/rescore`, { method: 'POST', json: thresholds })).version,
    addFeedback: async (id: string, text: string) =>
      (await request<{ feedback: { text: string; createdAt: string } }>(`/api/jobs/${encodeURIComponent(id)}/feedback`, { method: 'POST', json: { text } })).feedback,
    /** A result file or ZIP with the key sent (plain links cannot carry an Authorization header). */
    fetchBlob: async (url: string, signal?: AbortSignal) => (await send(url, { signal })).blob(),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
