export * from './aws-errors';
export * from './s3-object-store';
export * from './sqs-job-queue';
export * from './sqs-queues';
export * from './s3-job-store';
export { JOB_INDEX_PREFIX, JOB_RECORD_PREFIX, jobRecordKey } from './job-index-keys';
export * from './sdk-clients';
