import { Duration, Size } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KEY_PREFIXES } from '../storage/key-prefixes';
import { RestainFunction } from '../lambda/restain-function';
import type { OperatorAlarms } from '../operations/operator-alarms';
import { grantObjectAccess } from '../storage/object-access';
import { triggerOnObjectCreated } from './s3-triggered-function';

export interface IngestFunctionProps {
  readonly bucket: s3.Bucket;
  readonly queue: sqs.IQueue;
  readonly environment: Readonly<Record<string, string>>;
  readonly sharpLayer: lambda.ILayerVersion;
  readonly maxUploadBytes: number;
  readonly alarms: OperatorAlarms;
}

/** Validation decodes the whole image: up to 10000 x 10000 RGBA is 400 MB of pixels, plus sharp's working set. */
export const VALIDATOR_MEMORY_MIB = 4096;
/** Decoding, stripping and re-encoding a 100-megapixel image takes about a minute at this size; 10 leaves room. */
export const VALIDATOR_TIMEOUT = Duration.minutes(10);

/** /tmp for the raw upload and its validated PNG (Lambda allows 512 MiB to 10 GiB). */
export function validatorTempSize(maxUploadBytes: number): Size {
  return Size.mebibytes(Math.min(10_240, Math.max(1024, Math.ceil((3 * maxUploadBytes) / 1024 ** 2))));
}

/**
 * uploads/{jobId} -> validate (pixel limit, decode check), strip metadata, inputs/{jobId}/input.png,
 * queue the job; or fail the job with the reason. Runs on S3 ObjectCreated under uploads/, which
 * a client reaches with the presigned PUT the API handed out.
 */
export class UploadValidator extends Construct {
  readonly handler: RestainFunction;

  constructor(scope: Construct, id: string, props: IngestFunctionProps) {
    super(scope, id);
    this.handler = new RestainFunction(this, 'Handler', {
      handlerFile: 'upload-validator',
      description: 'Restain upload validator: uploads/ -> inputs/ + queued job, or a failed job with the reason',
      timeout: VALIDATOR_TIMEOUT,
      memorySizeMiB: VALIDATOR_MEMORY_MIB,
      ephemeralStorage: validatorTempSize(props.maxUploadBytes),
      environment: props.environment,
      sharpLayer: props.sharpLayer,
    });
    grantObjectAccess(this.handler.function, props.bucket, {
      [KEY_PREFIXES.uploads]: ['read', 'delete'],
      [KEY_PREFIXES.inputs]: ['write', 'read'],
      [KEY_PREFIXES.jobs]: ['read', 'write'],
      [KEY_PREFIXES.jobIndex]: ['read', 'write', 'delete'],
    });
    props.queue.grantSendMessages(this.handler.function);
    triggerOnObjectCreated(this, this.handler.function, { bucket: props.bucket, prefix: KEY_PREFIXES.uploads, alarms: props.alarms });
  }
}
