import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { KEY_PREFIXES } from './key-prefixes';

export interface UploadStorageProps {
  /** Days finished jobs are kept by the platform; files expire one day later as a backstop. */
  readonly retentionDays: number;
}

/**
 * The one private bucket of the pipeline (the S3 home of the ObjectStore port): uploads/ and
 * inbox/ take untrusted bytes, inputs/ and results/ hold what the platform validated or made,
 * jobs/ and job-index/ hold the job records, api-keys/ the hashed API keys, drop-ledger/ the
 * drop folder's bookkeeping, downloads/ API answers too large for Lambda. Encrypted (SSE-S3),
 * no public access, TLS only, server access logs to a second bucket.
 */
export class UploadStorage extends Construct {
  readonly bucket: s3.Bucket;
  /** Server access logs of this bucket and the web bucket (and CloudFront's standard logs). */
  readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: UploadStorageProps) {
    super(scope, id);
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront standard logging writes with ACLs, so the log bucket keeps them enabled for the writer.
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logBucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access-log bucket; logging its own access would log forever.' });

    const retention = Duration.days(props.retentionDays + 1);
    this.bucket = new s3.Bucket(this, 'Data', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'data-bucket/',
      // Job records are rewritten on every transition (compare-and-swap); versions would keep each one.
      versioned: false,
      lifecycleRules: [
        // Raw uploads are validated (or refused) within minutes; an abandoned one is gone the next day.
        { id: 'expire-raw-uploads', prefix: KEY_PREFIXES.uploads, expiration: Duration.days(1) },
        // Large API answers wait here for one presigned download.
        { id: 'expire-downloads', prefix: KEY_PREFIXES.downloads, expiration: Duration.days(1) },
        // Backstops of the platform's retention: results and validated inputs of old jobs. Never jobs/ or job-index/.
        { id: 'expire-results', prefix: KEY_PREFIXES.results, expiration: retention },
        { id: 'expire-inputs', prefix: KEY_PREFIXES.inputs, expiration: retention },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Browsers PUT to presigned URLs and GET result files directly; the signature is the credential, so any origin may.
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: ['*'],
          allowedHeaders: ['content-type', 'content-length', 'content-md5', 'x-amz-*'],
          exposedHeaders: ['etag', 'content-length', 'content-disposition'],
          maxAge: 3600,
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
