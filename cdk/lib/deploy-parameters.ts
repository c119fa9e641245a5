import type { Node } from 'constructs';

/**
 * What an operator chooses per deployment, as CDK context (`npx cdk deploy -c maxWorkers=8`, or
 * the `context` block of cdk.json). Synth-time values rather than CloudFormation parameters:
 * the scaling steps and alarm thresholds are computed from them.
 */
export interface DeployParameters {
  /** Engine the workers run: `nuclei` (default: Restain's nucleus net, in the worker image), `builtin`, or the absolute path of a model folder inside the worker image (e.g. /opt/restain/models/deepliif). */
  readonly modelLocation: string;
  /** EC2 type of the GPU instances (one worker task, one GPU, per instance). */
  readonly instanceType: string;
  /** Workers kept running with an empty queue (0: the fleet scales to zero). */
  readonly minWorkers: number;
  /** Most GPU workers (and instances) at once. */
  readonly maxWorkers: number;
  /** Queued + running jobs each worker is meant to carry: workers wanted = ceil(backlog / this). */
  readonly backlogPerWorker: number;
  /** Longest job expected, in minutes: the queue's visibility timeout stays above it. */
  readonly longestJobMinutes: number;
  /** Lease a worker takes on a job and renews every third of it while working (seconds). */
  readonly workerLeaseSeconds: number;
  /** Receives after which a job's message goes to the dead-letter queue. */
  readonly maxReceives: number;
  /** Pixel limits as `WIDTHxHEIGHT` or a pixel count (the runtime parses both). */
  readonly syncMaxPixels: string;
  readonly jobMaxPixels: string;
  /** Largest accepted upload in bytes (also sizes the validator's /tmp). */
  readonly maxUploadBytes: number;
  /** Days finished jobs and their files are kept; the bucket's lifecycle expires them a day later. */
  readonly retentionDays: number;
  /** API Gateway throttling of the whole API: steady requests per second and burst. */
  readonly apiRateLimitPerSecond: number;
  readonly apiBurstLimit: number;
  /** Requests per minute per API key, enforced by the API app itself. */
  readonly rateLimitPerMinutePerKey: number;
  /** DeepLIIF-compatible endpoints usable without a key. */
  readonly anonymousDeepliif: boolean;
  /** Tag of the worker image in the stack's ECR repository. */
  readonly imageTag: string;
  /** Address that receives alarm e-mails (none: alarms only show in CloudWatch). */
  readonly alarmEmail?: string;
}

export const DEFAULT_PARAMETERS: DeployParameters = Object.freeze({
  modelLocation: 'nuclei',
  instanceType: 'g4dn.xlarge',
  minWorkers: 0,
  maxWorkers: 4,
  backlogPerWorker: 2,
  longestJobMinutes: 30,
  workerLeaseSeconds: 120,
  maxReceives: 3,
  syncMaxPixels: '3000x3000',
  jobMaxPixels: '10000x10000',
  maxUploadBytes: 512 * 1024 * 1024,
  retentionDays: 7,
  apiRateLimitPerSecond: 50,
  apiBurstLimit: 100,
  rateLimitPerMinutePerKey: 600,
  anonymousDeepliif: false,
  imageTag: 'latest',
});

type Raw = (name: keyof DeployParameters) => unknown;

function fail(name: string, expected: string, value: unknown): never {
  throw new Error(`Expected ${expected} for context ${name} but received ${JSON.stringify(value)}`);
}

function integer(raw: Raw, name: keyof DeployParameters, min: number, max: number): number {
  const value = raw(name);
  if (value === undefined) return DEFAULT_PARAMETERS[name] as number;
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) fail(name, `a whole number from ${min} to ${max}`, value);
  return number;
}

function text(raw: Raw, name: keyof DeployParameters, expected: string, pattern: RegExp): string {
  const value = raw(name) ?? DEFAULT_PARAMETERS[name];
  if (typeof value !== 'string' || !pattern.test(value)) fail(name, expected, value);
  return value;
}

function flag(raw: Raw, name: keyof DeployParameters): boolean {
  const value = raw(name);
  if (value === undefined) return DEFAULT_PARAMETERS[name] as boolean;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(name, 'true or false', value);
}

const PIXELS = /^\s*(\d+\s*[xX]\s*\d+|\d+)\s*$/;

/** The deployment's parameters from `node`'s context, validated; throws naming the context key on a bad value. */
export function readDeployParameters(node: Pick<Node, 'tryGetContext'>): DeployParameters {
  const raw: Raw = (name) => node.tryGetContext(name);
  const minWorkers = integer(raw, 'minWorkers', 0, 32);
  // At most 32: the scaling policy has one step per worker count and Application Auto Scaling allows 40.
  const maxWorkers = integer(raw, 'maxWorkers', 1, 32);
  if (minWorkers > maxWorkers) fail('minWorkers', `at most maxWorkers (${maxWorkers})`, minWorkers);
  const alarmEmail = raw('alarmEmail');
  if (alarmEmail !== undefined && (typeof alarmEmail !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail))) fail('alarmEmail', 'an e-mail address', alarmEmail);
  const parameters: DeployParameters = {
    modelLocation: text(raw, 'modelLocation', '`nuclei`, `builtin`, a model folder uploaded to the data bucket such as models/deepliif, or an absolute folder in the worker image such as /opt/restain/models/deepliif', /^(nuclei|builtin|models(\/(?!\.\.?(\/|$))[A-Za-z0-9._-]+)+\/?|(\/(?!\.\.?(\/|$))[A-Za-z0-9._-]+)+\/?)$/),
    // GPU families only: the fleet runs on the ECS GPU AMI and every task asks for one GPU.
    instanceType: text(raw, 'instanceType', 'a GPU instance type such as g4dn.xlarge', /^(g4dn|g5|g6|g6e|p3|p4d|p5)\.[a-z0-9]+$/),
    minWorkers,
    maxWorkers,
    backlogPerWorker: integer(raw, 'backlogPerWorker', 1, 1000),
    // SQS's visibility timeout is at most 12 hours: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
    longestJobMinutes: integer(raw, 'longestJobMinutes', 1, 720),
    workerLeaseSeconds: integer(raw, 'workerLeaseSeconds', 30, 43_200),
    maxReceives: integer(raw, 'maxReceives', 1, 1000),
    syncMaxPixels: text(raw, 'syncMaxPixels', 'a pixel limit such as 3000x3000', PIXELS),
    jobMaxPixels: text(raw, 'jobMaxPixels', 'a pixel limit such as 10000x10000', PIXELS),
    // Lambda's /tmp holds at most 10 GiB and the validator needs the upload plus its decoded copy.
    maxUploadBytes: integer(raw, 'maxUploadBytes', 1024, 3 * 1024 ** 3),
    retentionDays: integer(raw, 'retentionDays', 1, 3650),
    apiRateLimitPerSecond: integer(raw, 'apiRateLimitPerSecond', 1, 10_000),
    apiBurstLimit: integer(raw, 'apiBurstLimit', 1, 5000),
    rateLimitPerMinutePerKey: integer(raw, 'rateLimitPerMinutePerKey', 1, 10_000_000),
    anonymousDeepliif: flag(raw, 'anonymousDeepliif'),
    imageTag: text(raw, 'imageTag', 'an image tag', /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/),
    ...(typeof alarmEmail === 'string' ? { alarmEmail } : {}),
  };
  if (parameters.workerLeaseSeconds >= parameters.longestJobMinutes * 60) {
    fail('workerLeaseSeconds', `less than longestJobMinutes x 60 (${parameters.longestJobMinutes * 60})`, parameters.workerLeaseSeconds);
  }
  return Object.freeze(parameters);
}
