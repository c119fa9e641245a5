import { Duration, RemovalPolicy, Size, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { RestainFunction } from '../lambda/restain-function';
import { KEY_PREFIXES } from '../storage/key-prefixes';
import { grantObjectAccess } from '../storage/object-access';

/** API Gateway HTTP APIs end an integration after 30 s (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). */
const API_TIMEOUT = Duration.seconds(29);

export interface JobApiProps {
  readonly bucket: s3.IBucket;
  readonly queue: sqs.IQueue;
  /** Its depth shows on GET /api/status. */
  readonly deadLetterQueue: sqs.IQueue;
  /** Runtime settings (ENV names -> values) shared by every handler. */
  readonly environment: Readonly<Record<string, string>>;
  readonly sharpLayer: lambda.ILayerVersion;
  readonly rateLimitPerSecond: number;
  readonly burstLimit: number;
  /** Largest upload: the API stages request bodies and re-scoring inputs in /tmp. */
  readonly maxUploadBytes: number;
}

/**
 * The REST API (DeepLIIF-compatible endpoints and the jobs API): one HTTP API whose every route
 * proxies to the API app in one Lambda, throttled at the stage, access-logged. Authentication is
 * the app's own API keys (as on the local platform), not an API Gateway authorizer.
 */
export class JobApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly handler: RestainFunction;

  constructor(scope: Construct, id: string, props: JobApiProps) {
    super(scope, id);
    this.handler = new RestainFunction(this, 'Handler', {
      handlerFile: 'api',
      description: 'Restain API app behind API Gateway (jobs, DeepLIIF-compatible endpoints, status)',
      timeout: API_TIMEOUT,
      // CPU scales with memory: re-scoring and multipart parsing are CPU-bound.
      memorySizeMiB: 2048,
      ephemeralStorage: Size.mebibytes(Math.min(10_240, Math.max(1024, Math.ceil((2 * props.maxUploadBytes) / 1024 ** 2)))),
      environment: props.environment,
      sharpLayer: props.sharpLayer,
    });
    grantObjectAccess(this.handler.function, props.bucket, {
      // Presigned PUTs land in uploads/; synchronous requests stage inputs; re-scoring adds result versions; deletion removes all.
      [KEY_PREFIXES.uploads]: ['write', 'read', 'delete'],
      [KEY_PREFIXES.inputs]: ['write', 'read', 'delete'],
      [KEY_PREFIXES.results]: ['write', 'read', 'delete'],
      [KEY_PREFIXES.jobs]: ['write', 'read', 'delete'],
      [KEY_PREFIXES.jobIndex]: ['write', 'read', 'delete'],
      // Keys are created by the operator (docs/deploy.md); the API only checks them.
      [KEY_PREFIXES.apiKeys]: ['read'],
      [KEY_PREFIXES.downloads]: ['write', 'read'],
    });
    // SendMessage for new jobs; GetQueueAttributes (in the same grant) for the queue depths on GET /api/status.
    props.queue.grantSendMessages(this.handler.function);
    this.handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: [props.deadLetterQueue.queueArn] }));

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      description: 'Restain REST API',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('App', this.handler.function, { payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0 }),
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    new apigw.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimitPerSecond, burstLimit: props.burstLimit },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    for (const route of this.api.node.findAll()) {
      if (route instanceof apigw.CfnRoute) {
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'The API app authenticates every request with its own API keys (Authorization: Bearer), as the local platform does; the DeepLIIF-compatible routes may be opened to anonymous, rate-limited use on purpose.',
        });
      }
    }
  }

  /** Lets the API's GET /api/status describe the worker service (ecs:DescribeServices on that service only). */
  allowDescribeService(serviceArn: string): void {
    this.handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeServices'], resources: [serviceArn] }));
  }

  /** The API's origin domain for CloudFront (`abc123.execute-api.eu-west-1.amazonaws.com`). */
  get domainName(): string {
    return `${this.api.apiId}.execute-api.${this.api.stack.region}.${this.api.stack.urlSuffix}`;
  }
}
