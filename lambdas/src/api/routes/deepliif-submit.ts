import { setTimeout as sleep } from 'node:timers/promises';
import { FINISHED_STATES, type JobRecord, RestainError, markFailed, updateJob } from '@restain/shared';
import { acceptUpload } from '../../jobs/accept-upload';
import { createJob } from '../../jobs/create-job';
import { type MultipartForm, type UploadedFile, readMultipart } from '../../uploads/read-multipart';
import { sanitizeDisplayName } from '../../uploads/sanitize-display-name';
import type { AppContext } from '../app-context';
import type { ApiRequest } from '../http-types';
import type { Principal } from '../route-types';
import { type DeepliifParams, deepliifJobOptions } from './deepliif-params';

/** Interval of the job-store poll of a synchronous /api/infer. */
export const SYNC_POLL_MS = 100;

/**
 * Read a DeepLIIF multipart body. Up to three files are taken (DeepLIIF's README posts img,
 * seg_img and marker_img even to /api/infer; unknown fields are ignored, as DeepLIIF does).
 */
export function readDeepliifForm(request: ApiRequest, context: AppContext): Promise<MultipartForm> {
  return readMultipart(request, { maxFileBytes: context.config.maxUploadBytes, maxFiles: 3, maxFields: 16, maxParts: 19, tempDir: context.config.tempDir });
}

/** The form's file `field`, or INVALID_ARGUMENT naming what was sent instead. */
export function requireFile(form: MultipartForm, field: string): UploadedFile {
  const file = form.files[field];
  if (file) return file;
  const sent = Object.keys(form.files);
  const what = sent.length > 0 ? `files ${sent.map((name) => JSON.stringify(name)).join(', ')}` : 'no file';
  throw new RestainError('INVALID_ARGUMENT', `Expected an image file in the multipart field "${field}" but received ${what}`);
}

/**
 * Create a DeepLIIF job for the request's `img` (owner: the caller, source deepliif-api) and
 * accept its upload: validated, stored and queued before this returns. Bad input answers 4xx
 * with the reason (the job is then failed); a too large image names the limit.
 */
export async function submitDeepliifJob(request: ApiRequest, context: AppContext, principal: Principal, params: DeepliifParams, maxPixels: number, largerHint: string): Promise<JobRecord> {
  const form = await readDeepliifForm(request, context);
  try {
    const img = requireFile(form, 'img');
    const job = await createJob(context, {
      owner: principal.owner,
      source: 'deepliif-api',
      options: deepliifJobOptions(params),
      displayName: sanitizeDisplayName(img.filename),
    });
    try {
      return await acceptUpload(context, job.id, { path: img.path, displayName: img.filename }, { maxPixels });
    } catch (error) {
      // No second upload ever comes for this job: a platform fault (full disk) must not leave it waiting.
      await abandonJob(context, job.id, error);
      if (error instanceof RestainError && error.code === 'IMAGE_TOO_LARGE') throw new RestainError(error.code, `${error.message}; ${largerHint}`);
      throw error;
    }
  } finally {
    await form.cleanup();
  }
}

/** Fail a job still waiting for its upload (bad input already failed it; this covers the rest). */
async function abandonJob(context: AppContext, jobId: string, error: unknown): Promise<void> {
  const reason = error instanceof RestainError ? { code: error.code, message: error.message } : { code: 'INTERNAL', message: 'The upload could not be taken in' };
  await updateJob(context.jobs, jobId, (record) =>
    record.state === 'created' ? markFailed(record, reason, context.config.retentionSeconds, context.now()) : undefined,
  ).catch(() => undefined);
}

/**
 * Poll the job store until the job finishes, the deadline passes or the client goes away;
 * returns the last record read (finished or not).
 */
export async function waitForJob(context: AppContext, jobId: string, timeoutMs: number, signal: AbortSignal): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await context.jobs.get(jobId);
    if (!found) throw new RestainError('NOT_FOUND', `Job ${jobId} was deleted while the request waited for it`);
    if (FINISHED_STATES.includes(found.record.state) || Date.now() >= deadline || signal.aborted) return found.record;
    await sleep(Math.min(SYNC_POLL_MS, Math.max(1, deadline - Date.now())));
  }
}
