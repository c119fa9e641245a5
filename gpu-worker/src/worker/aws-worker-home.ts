import { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { S3JobStore, S3ObjectStore, SqsJobQueue, createAwsClients } from '@restain/shared/aws';
import type { ObjectStore } from '@restain/shared';
import type { AwsWorkerHome } from './worker-config';
import type { WorkerHome } from './worker-home';

/**
 * The worker on AWS: objects and job records in the bucket (the layout the Lambdas use), jobs
 * from the analysis queue. Region, credentials (the task role) and endpoints come from the SDK's
 * own environment. Clients may be passed in (tests point them at loopback servers).
 */
export function openAwsWorkerHome(home: AwsWorkerHome, clients?: { readonly s3: S3Client; readonly sqs: SQSClient }): WorkerHome {
  const { s3, sqs } = clients ?? createAwsClients();
  const objects = new S3ObjectStore(s3, home.bucket);
  return {
    kind: 'aws',
    objects,
    queue: new SqsJobQueue(sqs, home.queueUrl),
    jobs: new S3JobStore(objects),
    close() {
      if (clients) return; // the caller's to close
      s3.destroy();
      sqs.destroy();
    },
  };
}

/** The object store holding a model folder (`s3://bucket/...` in RESTAIN_MODEL), with the SDK's own credentials. */
export function openModelStore(bucket: string): { readonly objects: ObjectStore; close(): void } {
  const s3 = new S3Client({});
  return { objects: new S3ObjectStore(s3, bucket), close: () => s3.destroy() };
}
