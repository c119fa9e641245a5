import { RestainError } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { type JobView, jobView } from './job-view';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** One page of an owner's jobs, newest first; pass `nextCursor` back for the next page. */
export async function listJobs(
  context: AppContext,
  owner: string,
  page: { readonly limit?: number; readonly cursor?: string } = {},
): Promise<{ jobs: JobView[]; nextCursor: string | null }> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a limit from 1 to ${MAX_PAGE_SIZE} but received ${JSON.stringify(page.limit)}`);
  }
  const found = await context.jobs.listByOwner(owner, { limit, cursor: page.cursor });
  // Queue positions are left out of lists (one query per job); GET /api/jobs/{jobId} has them.
  const jobs = found.jobs.filter((record) => record.state !== 'deleted').map((record) => jobView(context, record));
  return { jobs, nextCursor: found.nextCursor ?? null };
}
