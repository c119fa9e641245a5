import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Dummy credentials and region: the emulators accept anything, and nothing may reach AWS. */
export const EMULATOR_REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** An S3 client for an emulator (or the conditional-write shim) at `endpoint`: path-style URLs, dummy credentials. */
export function emulatorS3Client(endpoint: string, options: { readonly maxAttempts?: number } = {}): S3Client {
  return new S3Client({
    endpoint,
    region: EMULATOR_REGION,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    maxAttempts: options.maxAttempts ?? 3,
  });
}

/** An SQS client for fauxqs at `endpoint` (requests go to the endpoint, not to the host in queue URLs). */
export function emulatorSqsClient(endpoint: string, options: { readonly maxAttempts?: number } = {}): SQSClient {
  return new SQSClient({ endpoint, region: EMULATOR_REGION, credentials: CREDENTIALS, maxAttempts: options.maxAttempts ?? 3 });
}
