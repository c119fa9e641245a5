import { RestainError } from '../../errors';
import type { QueuePolicy, ReceiveOptions } from '../../ports/job-queue';

/** SQS's limits (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html), kept locally so code that works here works on SQS. */
export const SQS_LIMITS = {
  maxWaitTimeSeconds: 20,
  maxMessagesPerReceive: 10,
  /** 12 hours. */
  maxVisibilityTimeoutSeconds: 43_200,
  /** 15 minutes. */
  maxDelaySeconds: 900,
  /** 256 KiB. */
  maxBodyBytes: 262_144,
} as const;

function assertRange(name: string, value: number | undefined, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new RestainError('INVALID_ARGUMENT', `Expected ${name} from ${min} to ${max} but received ${value}`);
  }
}

/** Local queues accept any positive retention (tests use seconds); SQS allows 60 s to 14 days. */
export function assertQueuePolicy(policy: QueuePolicy): void {
  assertRange('visibilityTimeoutSeconds', policy.visibilityTimeoutSeconds, 0, SQS_LIMITS.maxVisibilityTimeoutSeconds);
  assertRange('maxReceiveCount', policy.maxReceiveCount, 1, 1000);
  if (!Number.isInteger(policy.maxReceiveCount)) throw new RestainError('INVALID_ARGUMENT', `Expected an integer maxReceiveCount but received ${policy.maxReceiveCount}`);
  assertRange('retentionSeconds', policy.retentionSeconds, 0.001, 1_209_600);
}

export function assertReceiveOptions(options: ReceiveOptions): void {
  assertRange('waitTimeSeconds', options.waitTimeSeconds, 0, SQS_LIMITS.maxWaitTimeSeconds);
  const max = options.maxMessages ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > SQS_LIMITS.maxMessagesPerReceive) {
    throw new RestainError('INVALID_ARGUMENT', `Expected maxMessages from 1 to ${SQS_LIMITS.maxMessagesPerReceive} but received ${max}`);
  }
  if (options.visibilityTimeoutSeconds !== undefined) assertVisibility(options.visibilityTimeoutSeconds);
}

export function assertVisibility(seconds: number): void {
  assertRange('visibilityTimeoutSeconds', seconds, 0, SQS_LIMITS.maxVisibilityTimeoutSeconds);
}

export function assertSend(body: string, delaySeconds: number): void {
  if (typeof body !== 'string') throw new RestainError('INVALID_ARGUMENT', `Expected a string message body but received ${typeof body}`);
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > SQS_LIMITS.maxBodyBytes) {
    throw new RestainError('PAYLOAD_TOO_LARGE', `Expected a message body of at most ${SQS_LIMITS.maxBodyBytes} bytes but received ${bytes}`);
  }
  assertRange('delaySeconds', delaySeconds, 0, SQS_LIMITS.maxDelaySeconds);
}
