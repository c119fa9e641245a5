// Lambda entry on S3 ObjectCreated under uploads/: a signed upload landed; validate it and queue its job.
import type { S3Event } from 'aws-lambda';
import { OBJECT_PREFIXES } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { acceptUploadedObject } from '../jobs/accept-uploaded-object';
import { isBadInputError } from '../uploads/validate-upload';
import { awsRuntime } from './aws-context';
import { createdObjectKeys, forEachKey } from './s3-event-keys';

export type S3Handler = (event: S3Event) => Promise<void>;

/**
 * For each uploads/{jobId} object: validate, strip metadata, store inputs/{jobId}, queue the job
 * (acceptUploadedObject). Bad input has already failed its job with the reason: done, no retry.
 * Anything else throws, so Lambda retries the event (the raw upload is kept for that).
 */
export function createUploadValidatorHandler(context: () => AppContext, log: (line: string) => void = console.log): S3Handler {
  return async (event) => {
    await forEachKey(createdObjectKeys(event, OBJECT_PREFIXES.uploads), async (key) => {
      try {
        const job = await acceptUploadedObject(context(), key);
        log(JSON.stringify({ event: 'upload.accepted', key, jobId: job?.id, state: job?.state ?? 'ignored' }));
      } catch (error) {
        if (!isBadInputError(error)) throw error;
        log(JSON.stringify({ event: 'upload.refused', key, code: error.code, message: error.message }));
      }
    });
  };
}

/** The Lambda handler: the container's runtime from the environment. */
export const handler: S3Handler = createUploadValidatorHandler(() => awsRuntime().context);
