import { type JobRecord, RestainError, currentResult } from '@restain/shared';
import type { AppContext } from '../app-context';
import { type ApiResponse, json } from '../http-types';
import type { RouteHandler } from '../route-types';
import { type DeepliifSelection, deepliifSelection, parseDeepliifQuery } from './deepliif-params';
import { deepliifJson, resultImageSources } from './deepliif-response';
import { submitDeepliifJob, waitForJob } from './deepliif-submit';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** A finished job's DeepLIIF answer body (`{images, scoring}`), optionally inside an envelope. */
export async function deepliifResultBody(
  context: AppContext,
  job: JobRecord,
  selection: DeepliifSelection,
  wrap?: { prefix: string; suffix: string },
): Promise<AsyncIterable<Uint8Array>> {
  const version = currentResult(job);
  if (!version) throw new RestainError('INTERNAL', `Job ${job.id} is ${job.state} without a result version`);
  const images = await resultImageSources(context, version, selection);
  return deepliifJson(images, selection.scoring ? version.scoring : undefined, wrap);
}

/** The structured error of a failed job, as the API answers it. */
export function jobErrorBody(job: JobRecord): { error: { code: string; message: string; jobId: string } } {
  const error = job.error ?? { code: job.state === 'expired' ? 'EXPIRED' : 'INTERNAL', message: `Job ${job.id} is ${job.state}` };
  return { error: { code: error.code, message: error.message, jobId: job.id } };
}

/**
 * POST /api/infer (DeepLIIF): multipart field `img` plus DeepLIIF's query parameters. The image
 * (at most config.syncMaxPixels, else 413) becomes a queued job like any other; the request
 * waits for it up to config.syncTimeoutSeconds. Answers `{images, scoring}` with base64 PNGs;
 * 422 with the reason when the analysis failed; 503 when it is still running (the job goes
 * on and its id is in the answer).
 */
export const deepliifInfer: RouteHandler = async (request, context, principal): Promise<ApiResponse> => {
  const params = parseDeepliifQuery(request.query);
  const submitted = await submitDeepliifJob(request, context, principal, params, context.config.syncMaxPixels, 'use POST /api/batch/infer or the jobs API for larger images');
  const job = await waitForJob(context, submitted.id, context.config.syncTimeoutSeconds * 1000, request.signal);
  if (job.state === 'succeeded') {
    return { status: 200, headers: JSON_HEADERS, body: await deepliifResultBody(context, job, deepliifSelection(params)) };
  }
  if (job.state === 'failed' || job.state === 'expired' || job.state === 'deleted') return json(422, jobErrorBody(job), { 'cache-control': 'no-store' });
  return json(
    503,
    {
      error: {
        code: 'UNAVAILABLE',
        message: `The analysis did not finish within ${context.config.syncTimeoutSeconds} s; it goes on as job ${job.id}: poll GET /api/batch/infer/${job.id} for its result`,
        jobId: job.id,
      },
    },
    { 'retry-after': '5', 'cache-control': 'no-store' },
  );
};
