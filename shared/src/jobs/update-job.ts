import { RestainError, isRestainError } from '../errors';
import type { JobStore, VersionedJob } from '../ports/job-store';
import type { JobRecord } from './job-record';

const MAX_ATTEMPTS = 20;

/**
 * Read-modify-write a job record with compare-and-swap, retrying when another writer got there
 * first. `change` sees the latest record and returns the new one, or undefined to leave it as is.
 * Returns the stored job (undefined when it does not exist).
 */
export async function updateJob(
  store: JobStore,
  jobId: string,
  change: (record: JobRecord) => JobRecord | undefined,
): Promise<VersionedJob | undefined> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.get(jobId);
    if (!current) return undefined;
    const next = change(current.record);
    if (!next || next === current.record) return current;
    try {
      return await store.replace(next, current.version);
    } catch (error) {
      if (!(isRestainError(error) && error.code === 'CONFLICT')) throw error;
    }
  }
  throw new RestainError('UNAVAILABLE', `Job ${jobId} is being updated by too many writers at once; try again`);
}
