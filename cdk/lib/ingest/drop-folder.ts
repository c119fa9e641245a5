import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { RestainFunction } from '../lambda/restain-function';
import { KEY_PREFIXES } from '../storage/key-prefixes';
import { grantObjectAccess } from '../storage/object-access';
import { triggerOnObjectCreated } from './s3-triggered-function';
import { type IngestFunctionProps, VALIDATOR_MEMORY_MIB, VALIDATOR_TIMEOUT, validatorTempSize } from './upload-validator';

/** How often finished drop-folder jobs are copied to outbox/ (EventBridge's finest schedule). */
const DELIVERY_INTERVAL = Duration.minutes(1);

/**
 * The S3 drop folder: every image put under inbox/<path> becomes a job (ObjectCreated ->
 * ingestor, which validates like the upload validator); a scheduled delivery copies each
 * finished job's results to outbox/<path>/ (or error.json) and keeps a summary per folder.
 */
export class DropFolder extends Construct {
  readonly ingestor: RestainFunction;
  readonly delivery: RestainFunction;

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);
    this.ingestor = new RestainFunction(this, 'Ingestor', {
      handlerFile: 'drop-folder',
      description: 'Restain drop folder: inbox/<path> -> a queued job (or error.json in outbox/)',
      timeout: VALIDATOR_TIMEOUT,
      memorySizeMiB: VALIDATOR_MEMORY_MIB,
      ephemeralStorage: validatorTempSize(props.maxUploadBytes),
      environment: props.environment,
      sharpLayer: props.sharpLayer,
    });
    grantObjectAccess(this.ingestor.function, props.bucket, {
      [KEY_PREFIXES.inbox]: ['read'],
      [KEY_PREFIXES.inputs]: ['write', 'read'],
      [KEY_PREFIXES.jobs]: ['read', 'write'],
      [KEY_PREFIXES.jobIndex]: ['read', 'write', 'delete'],
      [KEY_PREFIXES.dropLedger]: ['read', 'write', 'delete'],
      [KEY_PREFIXES.outbox]: ['read', 'write'],
    });
    props.queue.grantSendMessages(this.ingestor.function);
    triggerOnObjectCreated(this, this.ingestor.function, { bucket: props.bucket, prefix: KEY_PREFIXES.inbox, alarms: props.alarms });

    this.delivery = new RestainFunction(this, 'Delivery', {
      handlerFile: 'outbox-delivery',
      description: 'Restain drop folder: copy finished jobs to outbox/<path>/',
      // Result files are a few MB each and are streamed through; a run that has more work leaves it pending for the next.
      timeout: Duration.minutes(5),
      memorySizeMiB: 1024,
      environment: props.environment,
    });
    grantObjectAccess(this.delivery.function, props.bucket, {
      [KEY_PREFIXES.results]: ['read'],
      [KEY_PREFIXES.jobs]: ['read'],
      [KEY_PREFIXES.dropLedger]: ['read', 'write', 'delete'],
      [KEY_PREFIXES.outbox]: ['read', 'write', 'delete'],
    });
    new events.Rule(this, 'Schedule', {
      description: 'Deliver finished drop-folder jobs to outbox/',
      schedule: events.Schedule.rate(DELIVERY_INTERVAL),
      targets: [new targets.LambdaFunction(this.delivery.function, { retryAttempts: 0 })],
    });
  }
}
