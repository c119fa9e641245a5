import type { JobState } from '@restain/shared';
import { getOwnedJob } from '../../jobs/get-owned-job';
import { type ApiResponse, json } from '../http-types';
import type { RouteHandler } from '../route-types';
import { deepliifSelection, parseDeepliifQuery, readFlag } from './deepliif-params';
import { deepliifResultBody, jobErrorBody } from './deepliif-infer';
import { submitDeepliifJob } from './deepliif-submit';

/** Celery's task states, as DeepLIIF's batch API answers them. */
export type CeleryState = 'PENDING' | 'STARTED' | 'SUCCESS' | 'FAILURE';

const CELERY_STATES: Record<JobState, CeleryState> = {
  created: 'PENDING',
  uploaded: 'PENDING',
  queued: 'PENDING',
  running: 'STARTED',
  succeeded: 'SUCCESS',
  failed: 'FAILURE',
  expired: 'FAILURE',
  deleted: 'FAILURE',
};

/** Task state of a job in Celery's words. */
export function celeryState(state: JobState): CeleryState {
  return CELERY_STATES[state];
}

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * POST /api/batch/infer (DeepLIIF): the /api/infer request, answered at once with
 * `{task_id}` (the job id) once the image is validated and queued. Pixel limit: config.jobMaxPixels.
 */
export const deepliifBatchInfer: RouteHandler = async (request, context, principal): Promise<ApiResponse> => {
  const params = parseDeepliifQuery(request.query);
  const job = await submitDeepliifJob(request, context, principal, params, context.config.jobMaxPixels, 'split the image or raise the job pixel limit');
  return json(200, { task_id: job.id }, NO_STORE);
};

/**
 * GET /api/batch/infer/{task_id} (DeepLIIF): `{state, result}` with Celery's states. `result` is
 * the /api/infer answer on SUCCESS, `{error: {code, message}}` on FAILURE, null before (with
 * `progress` in tiles while it runs). The flags slim and nopost may be given here (DeepLIIF takes
 * them on the POST only, where we have nowhere to keep them). Another owner's task is 404;
 * anonymous callers reach anonymous tasks by id alone.
 */
export const deepliifBatchStatus: RouteHandler = async (request, context, principal, params): Promise<ApiResponse> => {
  const { record: job } = await getOwnedJob(context, principal, params.task_id ?? '');
  const state = celeryState(job.state);
  if (state === 'SUCCESS') {
    const selection = deepliifSelection({ slim: readFlag(request.query, 'slim'), nopost: readFlag(request.query, 'nopost') });
    const body = await deepliifResultBody(context, job, selection, { prefix: `{"task_id":${JSON.stringify(job.id)},"state":"SUCCESS","result":`, suffix: '}' });
    return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE }, body };
  }
  if (state === 'FAILURE') return json(200, { task_id: job.id, state, result: jobErrorBody(job) }, NO_STORE);
  return json(200, { task_id: job.id, state, result: null, ...(job.progress ? { progress: job.progress } : {}) }, NO_STORE);
};
