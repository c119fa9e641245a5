import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * The SDK clients every AWS home uses (Lambdas, the GPU worker), configured the same way: region,
 * credentials and endpoints from the SDK's own environment. SQS requests go to the SDK's endpoint
 * (regional, or AWS_ENDPOINT_URL_SQS) rather than the queue URL's host: on AWS they are the same,
 * against an SQS-compatible server the queue URL may name a host that does not resolve.
 */
export function createAwsClients(): { readonly s3: S3Client; readonly sqs: SQSClient } {
  return { s3: new S3Client({}), sqs: new SQSClient({ useQueueUrlAsEndpoint: false }) };
}
