import { ENV } from '@restain/shared';
import type { DeployParameters } from './deploy-parameters';

/** Resource names the runtime needs, known once the stack made them (tokens at synth). */
export interface RuntimeResources {
  readonly bucketName: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/**
 * Settings every Lambda handler reads (lambdas/src/handlers/config.ts), keyed by the ENV names the
 * runtime parses, so the stack and the code cannot disagree on a name.
 */
export function handlerEnvironment(parameters: DeployParameters, resources: RuntimeResources): Record<string, string> {
  return {
    [ENV.BUCKET]: resources.bucketName,
    [ENV.QUEUE_URL]: resources.queueUrl,
    [ENV.DEAD_LETTER_QUEUE_URL]: resources.deadLetterQueueUrl,
    [ENV.MAX_RECEIVES]: String(parameters.maxReceives),
    [ENV.RETENTION_DAYS]: String(parameters.retentionDays),
    [ENV.SYNC_MAX_PIXELS]: parameters.syncMaxPixels,
    [ENV.JOB_MAX_PIXELS]: parameters.jobMaxPixels,
    [ENV.MAX_UPLOAD_BYTES]: String(parameters.maxUploadBytes),
    [ENV.RATE_LIMIT_PER_MINUTE]: String(parameters.rateLimitPerMinutePerKey),
    [ENV.ANONYMOUS_DEEPLIIF]: String(parameters.anonymousDeepliif),
  };
}

/** True when the model location names a folder in the data bucket (models/...) rather than in the image. */
export function isBucketModel(modelLocation: string): boolean {
  return modelLocation.startsWith('models/');
}

/** Settings of the GPU worker container (gpu-worker/src/worker/worker-config.ts). */
export function workerEnvironment(parameters: DeployParameters, resources: RuntimeResources): Record<string, string> {
  return {
    [ENV.BUCKET]: resources.bucketName,
    [ENV.QUEUE_URL]: resources.queueUrl,
    [ENV.DEAD_LETTER_QUEUE_URL]: resources.deadLetterQueueUrl,
    // A model uploaded under models/ is fetched from the data bucket when a worker starts.
    [ENV.MODEL]: isBucketModel(parameters.modelLocation) ? `s3://${resources.bucketName}/${parameters.modelLocation.replace(/\/?$/, '/')}` : parameters.modelLocation,
    // CUDA with a CPU fallback the worker logs; the built-in engine ignores it.
    [ENV.DEVICE]: 'cuda',
    // Two engine threads keep the GPU busy while the other thread tiles and stitches on the CPU.
    [ENV.ENGINE_THREADS]: '2',
    [ENV.VISIBILITY_TIMEOUT_SECONDS]: String(parameters.workerLeaseSeconds),
    [ENV.MAX_RECEIVES]: String(parameters.maxReceives),
    [ENV.RETENTION_DAYS]: String(parameters.retentionDays),
    // Protection renewed at half-life while a job runs; lapses within the hour if the worker dies.
    [ENV.TASK_PROTECTION_MINUTES]: '60',
  };
}
