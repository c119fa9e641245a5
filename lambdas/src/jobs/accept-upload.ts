import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  type JobRecord,
  RestainError,
  encodeJobMessage,
  inputKey,
  isRestainError,
  markFailed,
  markQueued,
  markUploaded,
  updateJob,
} from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { sanitizeDisplayName } from '../uploads/sanitize-display-name';
import { isBadInputError, validateUpload } from '../uploads/validate-upload';

export interface AcceptUploadOptions {
  /** Pixel limit of this kind of job (sync /api/infer or a queued job). */
  readonly maxPixels: number;
}

/** States in which the job's message has been sent (or is no longer needed): nothing to do. */
const PAST_QUEUEING: readonly string[] = ['queued', 'running', 'succeeded', 'failed', 'expired', 'deleted'];

async function sha256OfStream(body: AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Store the validated PNG at inputs/{jobId}/input.png, create-only. When the key exists (a
 * repeated delivery of the same upload) the stored bytes must be the same; different bytes
 * mean two different uploads raced for one job (CONFLICT).
 */
async function storeInput(context: AppContext, key: string, pngPath: string, sha256: string): Promise<void> {
  try {
    await context.objects.put(key, createReadStream(pngPath), { ifNoneMatch: '*', contentType: 'image/png' });
  } catch (error) {
    if (!(isRestainError(error) && error.code === 'PRECONDITION_FAILED')) throw error;
    const existing = await context.objects.get(key);
    if (!existing) throw error;
    if ((await sha256OfStream(existing.body)) !== sha256) {
      throw new RestainError('CONFLICT', `Job input ${key} already holds a different image; a job takes one upload`);
    }
  }
}

async function loadJob(context: AppContext, jobId: string): Promise<JobRecord> {
  const current = await context.jobs.get(jobId);
  if (!current) throw new RestainError('NOT_FOUND', `Job ${jobId} does not exist`);
  return current.record;
}

/** Mark a created job failed with a bad-input reason (no-op when it already moved on). */
async function failJob(context: AppContext, jobId: string, error: RestainError): Promise<void> {
  await updateJob(context.jobs, jobId, (record) =>
    record.state === 'created'
      ? markFailed(record, { code: error.code, message: error.message }, context.config.retentionSeconds, context.now())
      : undefined,
  );
}

/** Validate and store the upload of a `created` job; returns the record in `uploaded` state. */
async function validateAndStore(context: AppContext, record: JobRecord, file: { path: string; displayName?: string }, maxPixels: number): Promise<JobRecord> {
  const displayName = sanitizeDisplayName(file.displayName ?? record.displayName);
  const workDir = await mkdtemp(path.join(context.config.tempDir, 'accept-'));
  try {
    const pngPath = path.join(workDir, 'input.png');
    let validated;
    try {
      validated = await validateUpload(file.path, { maxPixels, outPath: pngPath, page: record.options.page, displayName });
    } catch (error) {
      if (isBadInputError(error)) await failJob(context, record.id, error);
      throw error;
    }
    const key = inputKey(record.id);
    await storeInput(context, key, pngPath, validated.sha256);
    const input = { key, displayName, format: validated.format, width: validated.width, height: validated.height, sizeBytes: validated.sizeBytes, sha256: validated.sha256 };
    const stored = await updateJob(context.jobs, record.id, (latest) => (latest.state === 'created' ? markUploaded(latest, input, context.now()) : undefined));
    if (!stored) throw new RestainError('NOT_FOUND', `Job ${record.id} was deleted while its upload was being accepted`);
    return stored.record;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Take a job's uploaded file in: validate it (bad input fails the job once, with the reason, and
 * the RestainError is rethrown), store the metadata-free PNG at inputKey(jobId), mark the job
 * uploaded, send its queue message, then mark it queued. A crash between send and markQueued
 * leaves an `uploaded` job whose message exists; the worker accepts uploaded -> running.
 * Idempotent: a second call for the same job (a repeated S3 event) sends no second message once
 * the job is queued or later; for an `uploaded` job it sends the message again (at-least-once).
 */
export async function acceptUpload(
  context: AppContext,
  jobId: string,
  file: { path: string; displayName?: string },
  options: AcceptUploadOptions,
): Promise<JobRecord> {
  let record = await loadJob(context, jobId);
  if (PAST_QUEUEING.includes(record.state)) return record;
  if (record.state === 'created') record = await validateAndStore(context, record, file, options.maxPixels);
  if (record.state !== 'uploaded') return record;
  await context.queue.send(encodeJobMessage({ jobId }));
  const queued = await updateJob(context.jobs, jobId, (latest) => (latest.state === 'uploaded' ? markQueued(latest, context.now()) : undefined));
  if (!queued) throw new RestainError('NOT_FOUND', `Job ${jobId} was deleted while it was being queued`);
  return queued.record;
}
