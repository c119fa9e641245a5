import { RestainError, currentResult } from '@restain/shared';
import { addJobFeedback } from '../../jobs/add-feedback';
import { deleteJob } from '../../jobs/delete-job';
import { getOwnedJob } from '../../jobs/get-owned-job';
import { resultView } from '../../jobs/result-view';
import { rescoreJob } from '../../results/rescore-job';
import { json } from '../http-types';
import { THRESHOLD_FIELDS, parseThresholdFields } from '../job-parameters';
import { readJsonObject, rejectUnknownFields } from '../read-body';
import type { RouteHandler } from '../route-types';

/**
 * POST /api/jobs/{jobId}/rescore: new thresholds over the current version's (fields left out
 * keep their value); no re-inference; publishes the next result version.
 */
export const rescoreJobRoute: RouteHandler = async (request, context, principal, params) => {
  const body = await readJsonObject(request);
  rejectUnknownFields(body, THRESHOLD_FIELDS);
  const { record } = await getOwnedJob(context, principal, params.jobId);
  const current = currentResult(record);
  if (record.state !== 'succeeded' || !current) {
    throw new RestainError('CONFLICT', `Job ${record.id} is ${record.state}: only a succeeded job can be re-scored`);
  }
  const postprocess = parseThresholdFields(body, current.postprocess);
  const version = await rescoreJob(context, record, postprocess);
  const updated = { ...record, results: [...record.results.filter((result) => result.version !== version.version), version] };
  return json(201, { version: await resultView(context, updated, version) });
};

/** DELETE /api/jobs/{jobId}: the job and every file it owns. */
export const deleteJobRoute: RouteHandler = async (_request, context, principal, params) => {
  const { record } = await getOwnedJob(context, principal, params.jobId);
  await deleteJob(context, record.id);
  return { status: 204 };
};

/** POST /api/jobs/{jobId}/feedback: a note about the result, kept on the job. */
export const addFeedbackRoute: RouteHandler = async (request, context, principal, params) => {
  const body = await readJsonObject(request);
  rejectUnknownFields(body, ['text']);
  if (typeof body.text !== 'string') throw new RestainError('INVALID_ARGUMENT', `Expected a string for text but received ${JSON.stringify(body.text ?? null)}`);
  const { record } = await getOwnedJob(context, principal, params.jobId);
  return json(201, { feedback: await addJobFeedback(context, record.id, body.text) });
};
