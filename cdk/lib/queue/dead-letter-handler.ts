import { Duration } from 'aws-cdk-lib';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RestainFunction } from '../lambda/restain-function';
import { KEY_PREFIXES } from '../storage/key-prefixes';
import { grantObjectAccess } from '../storage/object-access';

/** A batch of ten job-record updates takes a few seconds; the DLQ's visibility is six times this. */
export const DEAD_LETTER_HANDLER_TIMEOUT = Duration.seconds(60);

export interface DeadLetterHandlerProps {
  readonly bucket: s3.IBucket;
  readonly deadLetterQueue: sqs.IQueue;
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * Consumes the analysis dead-letter queue: each job that failed `maxReceives` times is marked
 * failed with its last recorded reason. Partial batch failures: only the messages whose job
 * could not be updated come back.
 */
export class DeadLetterHandler extends Construct {
  readonly handler: RestainFunction;

  constructor(scope: Construct, id: string, props: DeadLetterHandlerProps) {
    super(scope, id);
    this.handler = new RestainFunction(this, 'Handler', {
      handlerFile: 'dead-letters',
      description: 'Restain dead letters: mark jobs that failed repeatedly as failed, with the reason',
      timeout: DEAD_LETTER_HANDLER_TIMEOUT,
      memorySizeMiB: 512,
      environment: props.environment,
    });
    grantObjectAccess(this.handler.function, props.bucket, {
      [KEY_PREFIXES.jobs]: ['read', 'write'],
      [KEY_PREFIXES.jobIndex]: ['read', 'write', 'delete'],
    });
    this.handler.function.addEventSource(
      new eventsources.SqsEventSource(props.deadLetterQueue, { batchSize: 10, reportBatchItemFailures: true, maxBatchingWindow: Duration.seconds(5) }),
    );
  }
}
