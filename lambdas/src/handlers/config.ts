import { ENV, RestainError } from '@restain/shared';
import type { ApiConfig } from '../api/app-context';
import { type PlatformEnv, parsePlatformEnv } from '../local-platform/config';

/** Everything the Lambda handlers are configured with: parsed once per container from the environment, frozen. */
export interface LambdaConfig {
  /** The bucket holding uploads/, inputs/, results/, inbox/, outbox/ and the job records. */
  readonly bucket: string;
  /** The analysis queue (jobs are sent to it) and its dead-letter queue (for status only; SQS delivers its messages). */
  readonly queueUrl: string;
  readonly deadLetterQueueUrl?: string;
  /** Where clients reach the API (links, OpenAPI); undefined: the API Gateway domain of the first request. */
  readonly publicUrl?: string;
  /** Owner id of drop-folder jobs. */
  readonly dropOwner: string;
  /** Receives after which SQS dead-letters a job (its reason says how many times it failed). */
  readonly maxReceiveCount: number;
  /** The GPU worker service, for GET /api/status; undefined when not set. */
  readonly ecs?: { readonly cluster: string; readonly service: string };
  /** API settings except the public URL (known from config or the first request). */
  readonly api: Omit<ApiConfig, 'publicBaseUrl'>;
}

/** Lambda's only writable folder is /tmp (512 MB by default; the stack sizes it for the upload limit). */
/** Longest a synchronous DeepLIIF request waits for its job on AWS (API Gateway's limit is 30 s). */
const LAMBDA_SYNC_TIMEOUT_SECONDS = 25;

const LAMBDA_TEMP_DIR = '/tmp/restain';
const DEFAULT_DROP_OWNER = 'drop-folder';

function required(env: PlatformEnv, name: string, expected: string, pattern: RegExp): string {
  const value = env[name]?.trim() ?? '';
  if (!pattern.test(value)) throw new RestainError('INVALID_ARGUMENT', `Expected ${expected} for ${name} but received ${JSON.stringify(value)}`);
  return value;
}

function optional(env: PlatformEnv, name: string, expected: string, pattern: RegExp): string | undefined {
  return env[name]?.trim() ? required(env, name, expected, pattern) : undefined;
}

const QUEUE_URL = /^https?:\/\/[^/\s]+\/\d+\/[A-Za-z0-9_-]{1,80}$/;

/**
 * Parses the handlers' settings. The API limits and defaults are the local platform's parser's,
 * so both homes read the same variables the same way; on AWS every request needs a key.
 * INVALID_ARGUMENT names the variable and what it held.
 */
export function parseLambdaConfig(env: PlatformEnv): LambdaConfig {
  const bucket = required(env, ENV.BUCKET, 'an S3 bucket name', /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
  const queueUrl = required(env, ENV.QUEUE_URL, 'an SQS queue URL', QUEUE_URL);
  const deadLetterQueueUrl = optional(env, ENV.DEAD_LETTER_QUEUE_URL, 'an SQS queue URL', QUEUE_URL);
  const cluster = optional(env, ENV.ECS_CLUSTER, 'an ECS cluster name or ARN', /^[A-Za-z0-9_:/.-]{1,255}$/);
  const service = optional(env, ENV.ECS_SERVICE, 'an ECS service name or ARN', /^[A-Za-z0-9_:/.-]{1,255}$/);
  if ((cluster === undefined) !== (service === undefined)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected both ${ENV.ECS_CLUSTER} and ${ENV.ECS_SERVICE} or neither but received only ${cluster ? ENV.ECS_CLUSTER : ENV.ECS_SERVICE}`);
  }
  const dropOwner = optional(env, ENV.DROP_OWNER, 'an owner id (letters, digits, - or _)', /^[A-Za-z0-9_-]{1,128}$/) ?? DEFAULT_DROP_OWNER;
  const local = parsePlatformEnv(env, 1, LAMBDA_TEMP_DIR);
  return Object.freeze({
    bucket,
    queueUrl,
    deadLetterQueueUrl,
    publicUrl: local.publicUrl,
    dropOwner,
    maxReceiveCount: local.maxReceiveCount,
    ecs: cluster && service ? Object.freeze({ cluster, service }) : undefined,
    // API Gateway and CloudFront end a request at 30 s: a synchronous /api/infer answers 503 (job
    // still running, pollable) before that rather than being cut off.
    api: Object.freeze({ ...local.api, requireApiKeys: true, tempDir: LAMBDA_TEMP_DIR, syncTimeoutSeconds: LAMBDA_SYNC_TIMEOUT_SECONDS }),
  });
}

/** The handlers' configuration from this process's environment. */
export function loadLambdaConfig(env: PlatformEnv = process.env): LambdaConfig {
  return parseLambdaConfig(env);
}
