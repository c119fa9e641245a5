import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { OperatorAlarms } from '../operations/operator-alarms';

/** SQS's longest retention (14 days): a queued job never expires before a worker takes it. */
const MESSAGE_RETENTION = Duration.days(14);

export interface AnalysisQueueProps {
  /** Longest job expected: the queue's visibility timeout stays above it. */
  readonly longestJobMinutes: number;
  /** Receives after which a message is moved to the dead-letter queue. */
  readonly maxReceives: number;
  /** Timeout of the Lambda that consumes the dead-letter queue (its visibility must be 6x this). */
  readonly deadLetterConsumerTimeout: Duration;
  readonly alarms: OperatorAlarms;
}

/**
 * The job queue (`{"jobId": ...}` messages, at-least-once) and its dead-letter queue. Workers
 * receive with their own shorter lease and renew it while they work; the queue's default
 * visibility stays above the longest job so a receiver that never renews still cannot get a job
 * delivered twice at once. A job that fails `maxReceives` times lands in the DLQ, whose consumer
 * writes the reason onto the job record.
 */
export class AnalysisQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: AnalysisQueueProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: MESSAGE_RETENTION,
      // Lambda's SQS poller: visibility at least 6x the function timeout (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html).
      visibilityTimeout: Duration.seconds(props.deadLetterConsumerTimeout.toSeconds() * 6),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue; its consumer reports partial batch failures and a message it cannot settle stays for 14 days with the DLQ-depth alarm raised.',
    });

    this.queue = new sqs.Queue(this, 'Jobs', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: MESSAGE_RETENTION,
      // At most 12 hours (SQS); the parameters keep longestJobMinutes within it.
      visibilityTimeout: Duration.minutes(props.longestJobMinutes),
      // Long polling by default, as the workers do: an idle fleet costs one request per 20 s per worker.
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceives },
    });

    props.alarms.alarmOnAnyMessage(this, 'DeadLettersAlarm', this.deadLetterQueue, 'A job failed repeatedly and reached the dead-letter queue (its consumer marks it failed; look at the worker logs for why).');
    props.alarms.watch(
      new cloudwatch.Alarm(this, 'OldestJobAlarm', {
        metric: this.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        // Scaling from zero (instance boot, image pull) takes ~10 minutes; beyond that plus a long job, work is stuck.
        threshold: (props.longestJobMinutes + 30) * 60,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: 'The oldest queued job has waited too long: the GPU fleet is not starting (capacity, image) or not keeping up (raise maxWorkers).',
      }),
    );
  }

  /** Jobs waiting plus jobs being worked on (visible + in flight + delayed retries), per minute. */
  backlogMetric(): cloudwatch.MathExpression {
    const period = Duration.minutes(1);
    return new cloudwatch.MathExpression({
      expression: 'visible + inflight + delayed',
      usingMetrics: {
        visible: this.queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
        inflight: this.queue.metricApproximateNumberOfMessagesNotVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
        delayed: this.queue.metric('ApproximateNumberOfMessagesDelayed', { period, statistic: cloudwatch.Stats.MAXIMUM }),
      },
      label: 'Analysis backlog (jobs queued or running)',
      period,
    });
  }
}
