import { RestainError } from '@restain/shared';
import { getOwnedJob } from '../../jobs/get-owned-job';
import { describeJob } from '../../jobs/job-view';
import { listJobs } from '../../jobs/list-jobs';
import { json } from '../http-types';
import type { RouteHandler } from '../route-types';

/** GET /api/jobs?limit=&cursor=: the caller's jobs, newest first. */
export const listJobsRoute: RouteHandler = async (request, context, principal) => {
  const limitText = request.query.get('limit');
  let limit: number | undefined;
  if (limitText !== null) {
    limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= 100)) throw new RestainError('INVALID_ARGUMENT', `Expected a limit from 1 to 100 but received ${JSON.stringify(limitText)}`);
  }
  const cursor = request.query.get('cursor') ?? undefined;
  return json(200, await listJobs(context, principal.owner, { limit, cursor }));
};

/** GET /api/jobs/{jobId}: state, progress, timestamps, error, queue position, links. */
export const getJobRoute: RouteHandler = async (_request, context, principal, params) => {
  const { record } = await getOwnedJob(context, principal, params.jobId);
  return json(200, { job: await describeJob(context, record) });
};
