import sharp from 'sharp';
import { generateSyntheticIhc } from '@restain/shared';

/** The bytes as a plain ArrayBuffer-backed view (what fetch bodies and Blob parts are typed to take). */
export function bodyOf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** A synthetic IHC image with known cells, as PNG bytes (`size` x `size` pixels). */
export async function syntheticPng(size: number, seed: number): Promise<Buffer> {
  const { image } = generateSyntheticIhc({ width: size, height: size, seed, cellCount: Math.max(4, Math.round((size * size) / 4000)) });
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).png().toBuffer();
}

export interface JobJson {
  readonly id: string;
  readonly state: string;
  readonly attempts: number;
  readonly uploadedAt: string | null;
  readonly queuedAt: string | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly resultVersion: number | null;
  readonly scoring: Record<string, unknown> | null;
  readonly error: { code: string; message: string } | null;
  readonly progress: { tilesDone: number; tilesTotal: number } | null;
}

function authHeaders(key?: string): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** fetch with a deadline: every request a test makes is bounded. */
export async function fetchWithin(url: string, init: RequestInit = {}, timeoutMs = 30_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

/** POST /api/jobs with the image as multipart; returns the created job (201) or throws with the answer. */
export async function createJobWithImage(
  baseUrl: string,
  png: Uint8Array,
  fields: Record<string, string> = {},
  options: { key?: string; filename?: string } = {},
): Promise<JobJson> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([bodyOf(png)], { type: 'image/png' }), options.filename ?? 'image.png');
  const response = await fetchWithin(`${baseUrl}/api/jobs`, { method: 'POST', body: form, headers: authHeaders(options.key) });
  const body = await response.json();
  if (response.status !== 201) throw new Error(`POST /api/jobs answered ${response.status}: ${JSON.stringify(body)}`);
  return body.job as JobJson;
}

/** GET /api/jobs/{id}; undefined on 404. */
export async function getJob(baseUrl: string, jobId: string, key?: string): Promise<JobJson | undefined> {
  const response = await fetchWithin(`${baseUrl}/api/jobs/${jobId}`, { headers: authHeaders(key) });
  if (response.status === 404) return undefined;
  const body = await response.json();
  if (response.status !== 200) throw new Error(`GET /api/jobs/${jobId} answered ${response.status}: ${JSON.stringify(body)}`);
  return body.job as JobJson;
}

const FINISHED = new Set(['succeeded', 'failed', 'expired', 'deleted']);

/** Polls until every job is finished (succeeded, failed, ...) or `timeoutMs` passes (then throws, saying which are not). */
export async function waitForJobs(baseUrl: string, jobIds: readonly string[], timeoutMs: number, key?: string): Promise<Map<string, JobJson>> {
  const deadline = Date.now() + timeoutMs;
  const done = new Map<string, JobJson>();
  for (;;) {
    for (const id of jobIds) {
      if (done.has(id)) continue;
      const job = await getJob(baseUrl, id, key).catch(() => undefined);
      if (job && FINISHED.has(job.state)) done.set(id, job);
    }
    if (done.size === jobIds.length) return done;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms: ${jobIds.length - done.size} of ${jobIds.length} jobs unfinished (e.g. ${jobIds.find((id) => !done.has(id))})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Polls `check` every `intervalMs` until it returns a value, or throws after `timeoutMs`. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
