import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type JobRecord, OBJECT_PREFIXES, isJobId } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { isBadInputError } from '../uploads/validate-upload';
import { acceptUpload } from './accept-upload';

/**
 * What happens when bytes land at uploads/{jobId} through a signed URL (locally the signed PUT
 * route calls it; on AWS the S3 ObjectCreated event's Lambda): fetch them to a temp file, take
 * them in with acceptUpload (validate, store the input, queue), then drop the raw upload. Keys
 * that are not an existing job's upload are removed and ignored. Bad input marks the job failed
 * and rethrows; other failures keep the raw upload so a retry can find it.
 */
export async function acceptUploadedObject(context: AppContext, key: string): Promise<JobRecord | undefined> {
  const jobId = key.startsWith(OBJECT_PREFIXES.uploads) ? key.slice(OBJECT_PREFIXES.uploads.length) : '';
  if (!isJobId(jobId)) return undefined;
  const job = await context.jobs.get(jobId);
  if (!job) {
    await context.objects.delete(key);
    return undefined;
  }
  const object = await context.objects.get(key);
  if (!object) return undefined;
  const workDir = await mkdtemp(path.join(context.config.tempDir, 'upload-'));
  try {
    const file = path.join(workDir, 'upload');
    await pipeline(object.body, createWriteStream(file));
    const accepted = await acceptUpload(context, jobId, { path: file, displayName: job.record.displayName }, { maxPixels: context.config.jobMaxPixels });
    await context.objects.delete(key);
    return accepted;
  } catch (error) {
    if (isBadInputError(error)) await context.objects.delete(key);
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
