import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type JobError, type ObjectInfo, markFailed, updateJob } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { acceptUpload } from '../jobs/accept-upload';
import { dropDisplayName } from './drop-paths';

/** Copy an object to a local temp file (validation decodes from a file; S3 objects are not one). */
async function downloadToTemp(context: AppContext, key: string, file: string): Promise<boolean> {
  const found = await context.objects.get(key);
  if (!found) return false;
  await pipeline(Readable.from(found.body), createWriteStream(file, { flags: 'wx' }));
  return true;
}

/** Fail a job that never reached validation (file too big, or gone); the record keeps the reason. */
async function failDropJob(context: AppContext, jobId: string, error: JobError): Promise<void> {
  await updateJob(context.jobs, jobId, (record) =>
    record.state === 'created' ? markFailed(record, error, context.config.retentionSeconds, context.now()) : undefined,
  );
}

/**
 * Hand a claimed inbox file to upload validation for job `jobId`. Returns the job's error when the
 * file is unusable (the job is then failed, permanently); throws on platform faults, leaving the
 * job in `created` so the next attempt resumes it.
 */
export async function acceptDroppedFile(context: AppContext, jobId: string, info: ObjectInfo, dropPath: string): Promise<JobError | undefined> {
  const limit = context.config.maxUploadBytes;
  if (info.sizeBytes > limit) {
    const error = { code: 'PAYLOAD_TOO_LARGE', message: `Expected a file of at most ${limit} bytes but ${dropPath} has ${info.sizeBytes} bytes` };
    await failDropJob(context, jobId, error);
    return error;
  }
  await mkdir(context.config.tempDir, { recursive: true });
  const workDir = await mkdtemp(path.join(context.config.tempDir, 'drop-'));
  try {
    const file = path.join(workDir, 'input');
    if (!(await downloadToTemp(context, info.key, file))) {
      const error = { code: 'INPUT_NOT_FOUND', message: `${dropPath} was removed from the inbox before it could be read` };
      await failDropJob(context, jobId, error);
      return error;
    }
    try {
      await acceptUpload(context, jobId, { path: file, displayName: dropDisplayName(dropPath) }, { maxPixels: context.config.jobMaxPixels });
      return undefined;
    } catch (error) {
      // Bad input fails the job (with its reason) before the error reaches us; anything else is a fault to retry.
      const record = (await context.jobs.get(jobId))?.record;
      if (record?.state === 'failed' && record.error) return record.error;
      throw error;
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
