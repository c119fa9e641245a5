import path from 'node:path';
import { ENV, type QueuePolicy, RestainError } from '@restain/shared';
import type { EngineSpec } from '../engines/engine';
import { defaultNucleusModelDir } from '../engines/nuclei/model-dir';
import { type RemoteModel, parseRemoteModel } from './download-model-folder';

/** The job queue and its dead-letter queue (names in the local state database). */
export const ANALYSIS_QUEUE_NAME = 'analysis';
export const ANALYSIS_DEAD_LETTER_QUEUE_NAME = 'analysis-dlq';

/** Defaults shared with whoever creates the queues, so both sides agree. */
export const WORKER_DEFAULTS = Object.freeze({
  dataDir: './data',
  /** A minute: a stalled worker's job is taken over soon, and the lease is extended every 20 s. */
  visibilityTimeoutSeconds: 60,
  maxReceiveCount: 3,
  retentionDays: 7,
  engineThreads: 1,
  /** SQS's longest message retention (14 days): a queued job never expires before it runs. */
  messageRetentionSeconds: 1_209_600,
});

/** Everything a worker process is configured with, parsed once from the environment. */
export interface WorkerConfig {
  /** Absolute data folder: the object store root and state/restain.sqlite. */
  readonly dataDir: string;
  readonly engine: EngineSpec;
  /** Engine threads in this process (tiles of one job run this many at once). */
  readonly engineThreads: number;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
  /** How long a finished job is kept (from RESTAIN_RETENTION_DAYS). */
  readonly retentionSeconds: number;
  /** Present when RESTAIN_BUCKET and RESTAIN_QUEUE_URL are set: the worker runs on S3 and SQS instead of the data folder. */
  readonly aws?: AwsWorkerHome;
  /** Present when ECS_AGENT_URI is set (ECS sets it in every task): scale-in protection while a job runs. */
  readonly taskProtection?: { readonly agentUri: string; readonly expiresInMinutes: number };
  /** File touched while the worker is alive, for the container HEALTHCHECK (RESTAIN_HEARTBEAT_FILE). */
  readonly heartbeatFile?: string;
  /** RESTAIN_MODEL=s3://bucket/prefix: the model folder is fetched at start into the engine's modelDir. */
  readonly remoteModel?: RemoteModel;
}

/** The worker's home on AWS: the bucket (objects and job records) and the analysis queue. */
export interface AwsWorkerHome {
  readonly bucket: string;
  readonly queueUrl: string;
}

type Env = Readonly<Record<string, string | undefined>>;

function numberFrom(env: Env, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new RestainError('INVALID_ARGUMENT', `Expected ${name} to be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} but received "${text}"`);
  }
  return value;
}

function engineFrom(env: Env): EngineSpec {
  const model = env[ENV.MODEL]?.trim() || 'nuclei';
  const device = env[ENV.DEVICE]?.trim() || 'cpu';
  if (device !== 'cpu' && device !== 'cuda') throw new RestainError('INVALID_ARGUMENT', `Expected ${ENV.DEVICE} to be cpu or cuda but received "${device}"`);
  if (model === 'builtin') return { kind: 'builtin' };
  if (model === 'nuclei') return { kind: 'nuclei', modelDir: defaultNucleusModelDir(), device };
  // A model in S3 is fetched at start into the worker's temp folder, which then becomes modelDir.
  if (parseRemoteModel(model)) return { kind: 'onnx', modelDir: '', device };
  if (/^[a-z0-9]+:\/\//i.test(model)) throw new RestainError('INVALID_ARGUMENT', `Expected ${ENV.MODEL} to be nuclei, builtin, a model folder or s3://bucket/prefix but received "${model}"`);
  return { kind: 'onnx', modelDir: path.resolve(model), device };
}

/**
 * Reads and validates the worker's settings (the only place the worker reads the environment);
 * throws INVALID_ARGUMENT with a one-line reason naming the variable.
 */
export function readWorkerConfig(env: Env = process.env): WorkerConfig {
  const engineThreads = numberFrom(env, ENV.ENGINE_THREADS, WORKER_DEFAULTS.engineThreads, 1, 64, true);
  return Object.freeze({
    dataDir: path.resolve(env[ENV.DATA_DIR]?.trim() || WORKER_DEFAULTS.dataDir),
    engine: Object.freeze(engineFrom(env)),
    engineThreads,
    visibilityTimeoutSeconds: numberFrom(env, ENV.VISIBILITY_TIMEOUT_SECONDS, WORKER_DEFAULTS.visibilityTimeoutSeconds, 1, 43_200, true),
    maxReceiveCount: numberFrom(env, ENV.MAX_RECEIVES, WORKER_DEFAULTS.maxReceiveCount, 1, 1000, true),
    retentionSeconds: Math.round(numberFrom(env, ENV.RETENTION_DAYS, WORKER_DEFAULTS.retentionDays, 0.00001, 3650, false) * 86_400),
    aws: awsHomeFrom(env),
    taskProtection: taskProtectionFrom(env),
    heartbeatFile: env[ENV.HEARTBEAT_FILE]?.trim() ? path.resolve(env[ENV.HEARTBEAT_FILE]!.trim()) : undefined,
    remoteModel: parseRemoteModel(env[ENV.MODEL]?.trim() ?? ''),
  });
}

function awsHomeFrom(env: Env): AwsWorkerHome | undefined {
  const bucket = env[ENV.BUCKET]?.trim();
  const queueUrl = env[ENV.QUEUE_URL]?.trim();
  if (!bucket && !queueUrl) return undefined;
  if (!bucket || !queueUrl) {
    throw new RestainError('INVALID_ARGUMENT', `Expected both ${ENV.BUCKET} and ${ENV.QUEUE_URL} (AWS) or neither (local) but received only ${bucket ? ENV.BUCKET : ENV.QUEUE_URL}`);
  }
  if (!/^https?:\/\/\S+$/.test(queueUrl)) throw new RestainError('INVALID_ARGUMENT', `Expected an SQS queue URL for ${ENV.QUEUE_URL} but received "${queueUrl}"`);
  return Object.freeze({ bucket, queueUrl });
}

function taskProtectionFrom(env: Env): WorkerConfig['taskProtection'] {
  const agentUri = env[ENV.ECS_AGENT_URI]?.trim();
  if (!agentUri) return undefined;
  if (!/^https?:\/\/\S+$/.test(agentUri)) throw new RestainError('INVALID_ARGUMENT', `Expected an http URL for ${ENV.ECS_AGENT_URI} but received "${agentUri}"`);
  // ECS accepts 1 to 2880 minutes (48 h); the worker renews at half-life while a job runs.
  const expiresInMinutes = numberFrom(env, ENV.TASK_PROTECTION_MINUTES, 60, 1, 2880, true);
  return Object.freeze({ agentUri: agentUri.replace(/\/+$/, ''), expiresInMinutes });
}

/** The analysis queue's policy from a worker config (the redrive count and lease the queue enforces). */
export function analysisQueuePolicy(config: Pick<WorkerConfig, 'visibilityTimeoutSeconds' | 'maxReceiveCount'>): QueuePolicy {
  return {
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds,
    maxReceiveCount: config.maxReceiveCount,
    retentionSeconds: WORKER_DEFAULTS.messageRetentionSeconds,
  };
}

/** Where the local state database lives in a data folder. */
export function stateDatabaseFile(dataDir: string): string {
  return path.join(dataDir, 'state', 'restain.sqlite');
}
