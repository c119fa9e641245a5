import { createWriteStream, openAsBlob } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { JobView } from '../jobs/job-view';
import type { ResultView } from '../jobs/result-view';

/** The server answered with an error (`{error: {code, message}}`, or a bare HTTP status). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer at all: refused, unresolvable, reset, or silent past the timeout. */
export class ServerUnreachableError extends Error {
  constructor(
    readonly server: string,
    readonly reason: string,
  ) {
    super(`Cannot reach the Restain server at ${server}: ${reason}`);
    this.name = 'ServerUnreachableError';
  }
}

export interface ApiClientOptions {
  /** Base URL of the deployment (e.g. http://127.0.0.1:8080). */
  readonly server: string;
  readonly apiKey?: string;
  /** Longest wait for any answer but an upload or download, in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Longest an upload or a download may take, in ms (default 600 000). */
  readonly transferTimeoutMs?: number;
}

export interface JobPage {
  readonly jobs: readonly JobView[];
  readonly nextCursor: string | null;
}

function describeFetchFailure(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

/** A thin client of the jobs API over fetch: typed errors, timeouts, Bearer key on its own origin only. */
export class ApiClient {
  readonly server: string;
  private readonly origin: string;
  private readonly timeoutMs: number;
  private readonly transferTimeoutMs: number;

  constructor(private readonly options: ApiClientOptions) {
    this.server = options.server.replace(/\/+$/, '');
    this.origin = new URL(this.server).origin;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.transferTimeoutMs = options.transferTimeoutMs ?? 600_000;
  }

  private async request(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
    const target = new URL(url, `${this.server}/`);
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    // The key is for this deployment only, never for a storage host a link may point to.
    if (this.options.apiKey && target.origin === this.origin) headers.set('authorization', `Bearer ${this.options.apiKey}`);
    let response: Response;
    try {
      response = await fetch(target, { ...init, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (error) {
      throw new ServerUnreachableError(this.server, describeFetchFailure(error, timeoutMs));
    }
    if (!response.ok) throw await this.errorOf(response);
    return response;
  }

  private async errorOf(response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    try {
      const { error } = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
      if (typeof error?.code === 'string' && typeof error.message === 'string') return new ApiError(response.status, error.code, error.message);
    } catch {
      // Not our JSON (a proxy's page): report the status and the start of the body.
    }
    const detail = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    return new ApiError(response.status, `HTTP_${response.status}`, `${response.status} ${response.statusText}${detail ? `: ${detail}` : ''}`);
  }

  private async getJson<T>(url: string): Promise<T> {
    const response = await this.request(url, { method: 'GET' }, this.timeoutMs);
    return (await response.json()) as T;
  }

  /** POST /api/jobs (multipart): upload one image with its parameters; the created (queued) job. */
  async createJob(file: string, fields: Readonly<Record<string, string>> = {}): Promise<JobView> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    // A file-backed Blob: the image is streamed from disk, not read into memory.
    form.append('file', await openAsBlob(file), path.basename(file));
    const response = await this.request('/api/jobs', { method: 'POST', body: form }, this.transferTimeoutMs);
    return ((await response.json()) as { job: JobView }).job;
  }

  /** GET /api/jobs/{jobId}: state, progress, queue position, error, scores once succeeded. */
  async getJob(jobId: string): Promise<JobView> {
    return (await this.getJson<{ job: JobView }>(`/api/jobs/${encodeURIComponent(jobId)}`)).job;
  }

  /** GET /api/jobs: the caller's jobs, newest first. */
  async listJobs(page: { readonly limit?: number; readonly cursor?: string } = {}): Promise<JobPage> {
    const query = new URLSearchParams();
    if (page.limit !== undefined) query.set('limit', String(page.limit));
    if (page.cursor !== undefined) query.set('cursor', page.cursor);
    const suffix = query.size > 0 ? `?${query}` : '';
    return this.getJson<JobPage>(`/api/jobs${suffix}`);
  }

  /** GET /api/jobs/{jobId}/results: manifest, scoring and file links of the current version. */
  async getResults(jobId: string): Promise<ResultView> {
    return this.getJson<ResultView>(`/api/jobs/${encodeURIComponent(jobId)}/results`);
  }

  /** Download `url` (absolute, or relative to the server) to `file`, whole or not at all; returns its size in bytes. */
  async download(url: string, file: string): Promise<number> {
    const response = await this.request(url, { method: 'GET' }, this.transferTimeoutMs);
    if (!response.body) throw new ApiError(response.status, 'EMPTY_BODY', `Expected a body from ${url} but received none`);
    const partial = `${file}.part`;
    let bytes = 0;
    try {
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      body.on('data', (chunk: Uint8Array) => (bytes += chunk.length));
      await pipeline(body, createWriteStream(partial));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
    return bytes;
  }
}
