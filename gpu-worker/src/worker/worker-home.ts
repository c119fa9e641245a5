import type { JobQueue, JobStore, ObjectStore } from '@restain/shared';
import type { WorkerConfig } from './worker-config';

/** Where a worker process works: the ports on its home's adapters, and how to let go of them. */
export interface WorkerHome {
  /** `local` (data folder, SQLite) or `aws` (S3, SQS), for the log. */
  readonly kind: 'local' | 'aws';
  readonly objects: ObjectStore;
  readonly queue: JobQueue;
  readonly jobs: JobStore;
  /** The dead-letter queue this process drains; absent on AWS, where a Lambda on the DLQ does it. */
  readonly deadLetters?: JobQueue;
  close(): void;
}

/**
 * Opens the home the config names: S3 and SQS when RESTAIN_BUCKET and RESTAIN_QUEUE_URL are set,
 * otherwise the data folder. Loaded lazily, so a local worker never loads the AWS SDK and an AWS
 * worker never opens SQLite.
 */
export async function openWorkerHome(config: WorkerConfig): Promise<WorkerHome> {
  if (config.aws) return (await import('./aws-worker-home')).openAwsWorkerHome(config.aws);
  return (await import('./local-worker-home')).openLocalWorkerHome(config);
}
