import { RestainError, type VersionedJob, isJobId } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import type { Principal } from '../api/route-types';

/**
 * The caller's job, or NOT_FOUND: for ids that are malformed, unknown, deleted, or another
 * owner's (404, never 403, so ids of others' jobs cannot be probed). Anonymous callers reach
 * anonymous jobs by id only: the id (122 random bits) is the capability.
 */
export async function getOwnedJob(context: AppContext, principal: Principal, jobId: string): Promise<VersionedJob> {
  const notFound = () => new RestainError('NOT_FOUND', `No job ${JSON.stringify(jobId.slice(0, 64))} found for this caller`);
  if (!isJobId(jobId)) throw notFound();
  const found = await context.jobs.get(jobId);
  if (!found || found.record.owner !== principal.owner || found.record.state === 'deleted') throw notFound();
  return found;
}
