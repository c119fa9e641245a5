import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { RestainError } from '../../errors';
import type { QueuePolicy } from '../../ports/job-queue';
import { assertQueuePolicy } from '../local/queue-limits';
import { fromAwsError } from './aws-errors';

/** SQS's retention range: 1 minute to 14 days. */
const MIN_RETENTION_SECONDS = 60;
const MAX_RETENTION_SECONDS = 1_209_600;

/**
 * The SQS attributes of a queue with `policy` (whole seconds), redriving to `deadLetterQueueArn`
 * after policy.maxReceiveCount receives when given. The same mapping the deployment applies.
 */
export function sqsQueueAttributes(policy: QueuePolicy, deadLetterQueueArn?: string): Record<string, string> {
  assertQueuePolicy(policy);
  const retention = Math.ceil(policy.retentionSeconds);
  if (retention < MIN_RETENTION_SECONDS || retention > MAX_RETENTION_SECONDS) {
    throw new RestainError('INVALID_ARGUMENT', `Expected retentionSeconds from ${MIN_RETENTION_SECONDS} to ${MAX_RETENTION_SECONDS} for SQS but received ${policy.retentionSeconds}`);
  }
  return {
    VisibilityTimeout: String(Math.ceil(policy.visibilityTimeoutSeconds)),
    MessageRetentionPeriod: String(retention),
    ...(deadLetterQueueArn ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount: policy.maxReceiveCount }) } : {}),
  };
}

export interface SqsQueuePair {
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
}

/**
 * Creates (or finds: CreateQueue is idempotent for equal attributes) queue `name` with `policy`
 * and its dead-letter queue `<name>-dead` (same retention, no redrive). For emulators and tools;
 * the deployment's stack creates the real queues.
 */
export async function createSqsQueuePair(client: SQSClient, name: string, policy: QueuePolicy): Promise<SqsQueuePair> {
  try {
    const deadLetter = await client.send(new CreateQueueCommand({ QueueName: `${name}-dead`, Attributes: sqsQueueAttributes(policy) }));
    const deadLetterQueueUrl = deadLetter.QueueUrl as string;
    const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    if (!arn) throw new RestainError('INTERNAL', `Expected SQS to report the ARN of ${deadLetterQueueUrl} but it reported none`);
    const queue = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: sqsQueueAttributes(policy, arn) }));
    return { queueUrl: queue.QueueUrl as string, deadLetterQueueUrl };
  } catch (error) {
    throw fromAwsError(error, 'SQS', `create queue ${name} and its dead-letter queue`);
  }
}
