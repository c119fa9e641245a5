/**
 * JobQueue port with SQS semantics: at-least-once delivery, long polling, a visibility timeout the
 * consumer extends while it works, a receive count, and a dead-letter queue after N receives.
 * The local adapter is an embedded SQLite queue; the AWS adapter is SQS + its redrive DLQ.
 */

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
  /** Handle of this receive: only the latest one may delete or extend (SQS). */
  readonly receiptHandle: string;
  /** How many times the message has been received, this receive included (1 on first). */
  readonly receiveCount: number;
  readonly sentAt: Date;
}

export interface ReceiveOptions {
  readonly maxMessages?: number;
  /** Long poll: wait up to this long for a message before returning an empty list (max 20, SQS). */
  readonly waitTimeSeconds: number;
  /** Override of the queue's default visibility timeout for this receive. */
  readonly visibilityTimeoutSeconds?: number;
  /** Abort the long poll early (shutdown). */
  readonly signal?: AbortSignal;
}

export interface QueueDepth {
  /** Messages ready to be received. */
  readonly visible: number;
  /** Received and not yet deleted or returned (SQS ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
  readonly delayed: number;
}

export interface JobQueue {
  send(body: string, options?: { readonly delaySeconds?: number }): Promise<string>;
  receive(options: ReceiveOptions): Promise<QueueMessage[]>;
  /** Extend (or end, with 0: hand back) the lease of a received message. */
  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void>;
  delete(receiptHandle: string): Promise<void>;
  depth(): Promise<QueueDepth>;
}

/** Queue settings shared by both homes (the CDK stack sets SQS's from the same values). */
export interface QueuePolicy {
  readonly visibilityTimeoutSeconds: number;
  /** Receives after which a message moves to the dead-letter queue (SQS maxReceiveCount). */
  readonly maxReceiveCount: number;
  readonly retentionSeconds: number;
}
