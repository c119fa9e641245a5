import { ECSClient } from '@aws-sdk/client-ecs';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { S3JobStore, S3ObjectStore, SqsJobQueue, createAwsClients } from '@restain/shared/aws';
import type { AppContext } from '../api/app-context';
import { type LambdaConfig, loadLambdaConfig } from './config';
import { ecsFleetStatus } from './ecs-fleet-status';

/** SDK clients the handlers talk through (the SDK takes region, credentials and endpoints from the Lambda environment). */
export interface AwsClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly ecs?: ECSClient;
}

/** What one container's handlers share: the parsed config and the AppContext on S3 and SQS. */
export interface AwsRuntime {
  readonly config: LambdaConfig;
  readonly context: AppContext;
}

/**
 * The AWS twin of the local platform's adapters: the API's AppContext on one bucket (objects and
 * job records, the same layout the workers use) and the analysis queue, plus the worker fleet
 * from ECS when configured. `publicBaseUrl` is where links point.
 */
export function buildAwsRuntime(config: LambdaConfig, clients: AwsClients, publicBaseUrl: string): AwsRuntime {
  const objects = new S3ObjectStore(clients.s3, config.bucket);
  const context: AppContext = {
    objects,
    queue: new SqsJobQueue(clients.sqs, config.queueUrl),
    jobs: new S3JobStore(objects),
    config: Object.freeze({ ...config.api, publicBaseUrl }),
    now: () => new Date(),
    fleet: config.ecs ? ecsFleetStatus(clients.ecs ?? new ECSClient({}), config.ecs) : undefined,
  };
  return { config, context };
}

let shared: AwsRuntime | undefined;

/**
 * The container's runtime, built on first use (cold start) from the environment and kept for
 * every later invocation: clients keep their connections warm. `fallbackBaseUrl` serves when
 * RESTAIN_PUBLIC_URL is unset (the API handler passes its API Gateway domain).
 */
export function awsRuntime(fallbackBaseUrl = 'https://localhost'): AwsRuntime {
  if (!shared) {
    const config = loadLambdaConfig();
    shared = buildAwsRuntime(config, createAwsClients(), config.publicUrl ?? fallbackBaseUrl);
  }
  return shared;
}
