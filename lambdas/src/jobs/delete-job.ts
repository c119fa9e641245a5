import { type JobRecord, type ObjectStore, OBJECT_PREFIXES, jobResultsPrefix, updateJob, uploadKey } from '@restain/shared';
import type { AppContext } from '../api/app-context';

async function deletePrefix(objects: ObjectStore, prefix: string): Promise<number> {
  let deleted = 0;
  let startAfter: string | undefined;
  do {
    const page = await objects.list(prefix, { startAfter, limit: 1000 });
    for (const info of page.objects) await objects.delete(info.key);
    deleted += page.objects.length;
    startAfter = page.nextStartAfter;
  } while (startAfter !== undefined);
  return deleted;
}

/**
 * Removes a job and every object it owns (raw upload, validated input, all result versions).
 * The record is marked `deleted` first so a worker still running it stops publishing, then the
 * objects go, then the record. Returns the number of objects removed.
 */
export async function deleteJob(context: AppContext, jobId: string): Promise<number> {
  await updateJob(context.jobs, jobId, (record): JobRecord | undefined =>
    record.state === 'deleted' ? undefined : { ...record, state: 'deleted', updatedAt: context.now().toISOString() },
  );
  await context.objects.delete(uploadKey(jobId));
  let removed = await deletePrefix(context.objects, `${OBJECT_PREFIXES.inputs}${jobId}/`);
  removed += await deletePrefix(context.objects, jobResultsPrefix(jobId));
  await context.jobs.delete(jobId);
  return removed;
}
