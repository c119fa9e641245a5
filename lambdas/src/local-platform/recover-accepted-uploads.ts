import { type JobRecord, isRestainError, uploadKey } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { acceptUpload } from '../jobs/accept-upload';
import { acceptUploadedObject } from '../jobs/accept-uploaded-object';

export interface RecoveryReport {
  /** `uploaded` jobs whose queue message may never have been sent: sent (again) and marked queued. */
  readonly requeued: number;
  /** `created` jobs whose signed upload had landed when the platform stopped: taken in now. */
  readonly accepted: number;
}

/** Jobs looked at per page (the job store's page limit); `created` jobs: one page, oldest first. */
const PAGE = 1000;
/** Pages of `uploaded` jobs re-queued on start at most: far beyond what one crash leaves. */
const MAX_PAGES = 20;

/**
 * Finishes what a platform killed with -9 left half done, before the server opens:
 * - `uploaded` jobs: the process may have died between marking the job uploaded and sending its
 *   message, so send it again (a duplicate message is harmless: workers are idempotent per job).
 * - `created` jobs with bytes at uploads/{jobId}: the signed PUT was answered 200 but validation
 *   never ran; run it now (bad input fails the job with its reason, as it would have then).
 */
export async function recoverAcceptedUploads(context: AppContext, log: (line: string) => void): Promise<RecoveryReport> {
  let requeued = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const uploaded = await context.jobs.listByState('uploaded', { limit: PAGE });
    let progressed = false;
    for (const job of uploaded) {
      try {
        // An uploaded job's input is already stored: acceptUpload only sends the message and marks it queued.
        await acceptUpload(context, job.id, { path: '' }, { maxPixels: context.config.jobMaxPixels });
        requeued++;
        progressed = true;
      } catch (error) {
        log(`recovery: could not queue uploaded job ${job.id}: ${(error as Error).message}`);
      }
    }
    if (uploaded.length < PAGE || !progressed) break;
  }
  let accepted = 0;
  const created: readonly JobRecord[] = await context.jobs.listByState('created', { limit: PAGE });
  for (const job of created) {
    if (!(await context.objects.head(uploadKey(job.id)))) continue;
    try {
      await acceptUploadedObject(context, uploadKey(job.id));
      accepted++;
    } catch (error) {
      // Bad input already failed the job with its reason; anything else is logged and the upload kept.
      if (!isRestainError(error) || error.httpStatus >= 500) log(`recovery: could not take in the upload of job ${job.id}: ${(error as Error).message}`);
    }
  }
  return { requeued, accepted };
}
