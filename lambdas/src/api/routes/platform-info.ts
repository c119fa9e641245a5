import { type ClientConfig, DEFAULT_POSTPROCESS_OPTIONS, MAGNIFICATIONS, RestainError } from '@restain/shared';
import { json } from '../http-types';
import { describeThresholds } from '../job-parameters';
import type { RouteHandler } from '../route-types';

/** GET /api/config: the limits and defaults a client needs before uploading (no secrets). */
export const getConfigRoute: RouteHandler = async (_request, context) => {
  const config = context.config;
  const answer: ClientConfig = {
    syncMaxPixels: config.syncMaxPixels,
    jobMaxPixels: config.jobMaxPixels,
    maxUploadBytes: config.maxUploadBytes,
    resolutions: ['auto', ...MAGNIFICATIONS],
    defaults: describeThresholds(DEFAULT_POSTPROCESS_OPTIONS),
    signedUrlTtlSeconds: config.signedUrlTtlSeconds,
    retentionSeconds: config.retentionSeconds,
    requireApiKeys: config.requireApiKeys,
    anonymousDeepliif: config.anonymousDeepliif,
    rateLimitPerMinute: config.rateLimitPerMinute,
  };
  return json(200, answer);
};

/** GET /api/health: 200 while the job store and the queue answer; 503 otherwise. */
export const getHealthRoute: RouteHandler = async (_request, context) => {
  let depth;
  try {
    depth = await context.queue.depth();
    await context.jobs.countQueuedBefore(context.now().toISOString());
  } catch (error) {
    throw new RestainError('UNAVAILABLE', `Expected the job queue and job store to answer but they failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return json(200, { status: 'ok', time: context.now().toISOString(), queue: { visible: depth.visible, inFlight: depth.inFlight } });
};
