import { Duration, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { OperatorAlarms } from '../operations/operator-alarms';

export interface S3TriggerProps {
  readonly bucket: s3.Bucket;
  /** Key prefix whose ObjectCreated events invoke the function (`uploads/`, `inbox/`). */
  readonly prefix: string;
  readonly alarms: OperatorAlarms;
}

/**
 * Invokes `fn` for each object created under `prefix` (S3 event notification, asynchronous
 * invocation). A failing event is retried twice by Lambda (the handlers are idempotent per
 * object version), then kept in a failed-events queue with an alarm, so no upload is lost
 * silently: the event can be inspected and replayed.
 */
export function triggerOnObjectCreated(scope: Construct, fn: lambda.IFunction, props: S3TriggerProps): sqs.Queue {
  const failedEvents = new sqs.Queue(scope, 'FailedEvents', {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(failedEvents).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This queue is itself where failed events end up (nothing consumes it); its alarm fires on the first message.' });
  new lambda.EventInvokeConfig(scope, 'AsyncInvoke', {
    function: fn,
    retryAttempts: 2,
    maxEventAge: Duration.hours(6),
    onFailure: new destinations.SqsDestination(failedEvents),
  });
  props.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn), { prefix: props.prefix });
  props.alarms.alarmOnAnyMessage(scope, 'FailedEventsAlarm', failedEvents, `S3 events under ${props.prefix} failed three times; the message in the failed-events queue holds the event.`);
  return failedEvents;
}
