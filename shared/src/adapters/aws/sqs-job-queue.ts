import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { RestainError } from '../../errors';
import type { JobQueue, QueueDepth, QueueMessage, ReceiveOptions } from '../../ports/job-queue';
import { assertReceiveOptions, assertSend, assertVisibility } from '../local/queue-limits';
import { awsErrorOf, fromAwsError, isAbortError } from './aws-errors';

/** Receipt-handle errors: the handle is stale (received again, deleted, moved) or not a handle. */
const STALE_HANDLE = new Set(['MessageNotInflight', 'InvalidParameterValue']);
const BAD_HANDLE = new Set(['ReceiptHandleIsInvalid', 'InvalidIdFormat']);

/** SQS takes whole seconds; a fraction is rounded up so a lease or wait is never shorter than asked. */
const wholeSeconds = (seconds: number): number => Math.ceil(seconds);

/**
 * JobQueue on one SQS queue (its redrive policy, set where the queue is made, moves a message to
 * the dead-letter queue after maxReceiveCount receives; the dead-letter queue is another
 * SqsJobQueue). Long polls pass the caller's AbortSignal to the SDK, so an abort ends the HTTP
 * request at once and returns []; a message SQS handed to the aborted request stays invisible
 * for its visibility timeout, then comes back (at-least-once). Receipt handles follow SQS: only
 * the latest receive's handle may extend a lease (a stale one: PRECONDITION_FAILED), while SQS
 * accepts a delete with a stale handle and may or may not delete the message (fauxqs ignores it).
 */
export class SqsJobQueue implements JobQueue {
  readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor(client: SQSClient, queueUrl: string) {
    if (!queueUrl) throw new RestainError('INVALID_ARGUMENT', 'Expected an SQS queue URL but received none');
    this.client = client;
    this.queueUrl = queueUrl;
  }

  async send(body: string, options: { readonly delaySeconds?: number } = {}): Promise<string> {
    const delaySeconds = options.delaySeconds ?? 0;
    assertSend(body, delaySeconds);
    try {
      const answer = await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body, DelaySeconds: wholeSeconds(delaySeconds) }));
      if (!answer.MessageId) throw new RestainError('INTERNAL', `Expected SQS to return a MessageId for a send to ${this.queueUrl} but it returned none`);
      return answer.MessageId;
    } catch (error) {
      throw fromAwsError(error, 'SQS', `accept a message on ${this.queueUrl}`);
    }
  }

  async receive(options: ReceiveOptions): Promise<QueueMessage[]> {
    assertReceiveOptions(options);
    if (options.signal?.aborted) return [];
    const command = new ReceiveMessageCommand({
      QueueUrl: this.queueUrl,
      MaxNumberOfMessages: options.maxMessages ?? 1,
      WaitTimeSeconds: wholeSeconds(options.waitTimeSeconds),
      ...(options.visibilityTimeoutSeconds !== undefined ? { VisibilityTimeout: wholeSeconds(options.visibilityTimeoutSeconds) } : {}),
      MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
    });
    try {
      const answer = await this.client.send(command, { abortSignal: options.signal });
      return (answer.Messages ?? []).map((message) => this.toQueueMessage(message));
    } catch (error) {
      if (options.signal?.aborted && isAbortError(error)) return [];
      throw fromAwsError(error, 'SQS', `deliver messages from ${this.queueUrl}`);
    }
  }

  async changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    assertVisibility(visibilityTimeoutSeconds);
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: wholeSeconds(visibilityTimeoutSeconds) }),
      );
    } catch (error) {
      throw this.handleError(error, 'change the visibility of', receiptHandle);
    }
  }

  async delete(receiptHandle: string): Promise<void> {
    try {
      await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle }));
    } catch (error) {
      throw this.handleError(error, 'delete', receiptHandle);
    }
  }

  async depth(): Promise<QueueDepth> {
    try {
      const answer = await this.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.queueUrl,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'],
        }),
      );
      const count = (name: string): number => Number(answer.Attributes?.[name as keyof typeof answer.Attributes] ?? 0);
      return {
        visible: count('ApproximateNumberOfMessages'),
        inFlight: count('ApproximateNumberOfMessagesNotVisible'),
        delayed: count('ApproximateNumberOfMessagesDelayed'),
      };
    } catch (error) {
      throw fromAwsError(error, 'SQS', `report the depth of ${this.queueUrl}`);
    }
  }

  private toQueueMessage(message: Message): QueueMessage {
    const receiveCount = Number(message.Attributes?.ApproximateReceiveCount);
    const sentAt = Number(message.Attributes?.SentTimestamp);
    if (!message.MessageId || !message.ReceiptHandle || !Number.isInteger(receiveCount) || !Number.isFinite(sentAt)) {
      throw new RestainError('INTERNAL', `Expected SQS messages with an id, receipt handle, receive count and send time but received ${JSON.stringify(message).slice(0, 200)}`);
    }
    return { messageId: message.MessageId, body: message.Body ?? '', receiptHandle: message.ReceiptHandle, receiveCount, sentAt: new Date(sentAt) };
  }

  private handleError(error: unknown, action: string, receiptHandle: string): unknown {
    const code = awsErrorOf(error)?.code ?? '';
    const handle = JSON.stringify(receiptHandle.slice(0, 40));
    if (BAD_HANDLE.has(code)) {
      return new RestainError('INVALID_ARGUMENT', `Expected a receipt handle from receive() to ${action} a message on ${this.queueUrl} but SQS refused ${handle} (${code})`, { cause: error });
    }
    if (STALE_HANDLE.has(code)) {
      return new RestainError('PRECONDITION_FAILED', `Expected to ${action} the message with handle ${handle} on ${this.queueUrl} but it is no longer in flight under that handle: received again, deleted or moved (${code})`, { cause: error });
    }
    return fromAwsError(error, 'SQS', `${action} a message on ${this.queueUrl}`);
  }
}
