/**
 * Every environment variable Restain reads, in one place: the CDK stack sets them and each
 * deployable's config.ts parses them. Nothing else reads process.env.
 */
export const ENV = {
  /** Local platform: folder holding the object store, the queue database and the drop folder. */
  DATA_DIR: 'RESTAIN_DATA_DIR',
  /** Local platform: TCP port of the API and web (default 8080). */
  PORT: 'PORT',
  /** Local platform: address to bind (default 127.0.0.1; anything else requires API keys). */
  HOST: 'RESTAIN_HOST',
  /** Local platform: the URL clients reach it at, for links and signed URLs (default: the bound address). */
  PUBLIC_URL: 'RESTAIN_PUBLIC_URL',
  /** Number of analysis workers (default: one per 2 cores). */
  WORKERS: 'RESTAIN_WORKERS',
  /** Pixel limit for the synchronous DeepLIIF-compatible /api/infer (default 3000 x 3000). */
  SYNC_MAX_PIXELS: 'RESTAIN_SYNC_MAX_PIXELS',
  /** Pixel limit for jobs (default 10000 x 10000). */
  JOB_MAX_PIXELS: 'RESTAIN_JOB_MAX_PIXELS',
  /** Largest accepted upload body in bytes. */
  MAX_UPLOAD_BYTES: 'RESTAIN_MAX_UPLOAD_BYTES',
  /** Days a finished job and its files are kept (default 7). */
  RETENTION_DAYS: 'RESTAIN_RETENTION_DAYS',
  /** Receives after which a job's message goes to the dead-letter queue (default 3). */
  MAX_RECEIVES: 'RESTAIN_MAX_RECEIVES',
  /** Queue visibility timeout in seconds; workers extend it while they work. */
  VISIBILITY_TIMEOUT_SECONDS: 'RESTAIN_VISIBILITY_TIMEOUT_SECONDS',
  /** `true`: the DeepLIIF-compatible endpoints accept requests without a key (rate-limited per address). */
  ANONYMOUS_DEEPLIIF: 'RESTAIN_ANONYMOUS_DEEPLIIF',
  /** Requests per minute allowed per API key (and per address for anonymous use). */
  RATE_LIMIT_PER_MINUTE: 'RESTAIN_RATE_LIMIT_PER_MINUTE',
  /** Engine for workers: `builtin` or a model folder path / object key. */
  MODEL: 'RESTAIN_MODEL',
  /** Secret for signing local upload/download URLs (generated and kept in the data folder when unset). */
  SIGNING_SECRET: 'RESTAIN_SIGNING_SECRET',
  /** AWS: bucket holding uploads, inputs, results, inbox/outbox. */
  BUCKET: 'RESTAIN_BUCKET',
  /** AWS: analysis queue URL and its dead-letter queue URL. */
  QUEUE_URL: 'RESTAIN_QUEUE_URL',
  DEAD_LETTER_QUEUE_URL: 'RESTAIN_DEAD_LETTER_QUEUE_URL',
  /** CLI (`restain submit`/`status`): base URL of the deployment to talk to (default http://127.0.0.1:8080). */
  SERVER: 'RESTAIN_SERVER',
  /** CLI: API key sent as `Authorization: Bearer` (none by default: the loopback server's local user). */
  API_KEY: 'RESTAIN_API_KEY',
  /** Workers: engine threads per worker process (default 1; tiles of one job run this many at once). */
  ENGINE_THREADS: 'RESTAIN_ENGINE_THREADS',
  /** Workers: where ONNX models run, `cpu` (default) or `cuda` (falls back to cpu). */
  DEVICE: 'RESTAIN_DEVICE',
  /** AWS: owner id stamped on drop-folder jobs (an API key id, so its holder sees them; default `drop-folder`). */
  DROP_OWNER: 'RESTAIN_DROP_OWNER',
  /** AWS: ECS cluster and service of the GPU workers, for GET /api/status (DescribeServices); unset: no fleet figures. */
  ECS_CLUSTER: 'RESTAIN_ECS_CLUSTER',
  ECS_SERVICE: 'RESTAIN_ECS_SERVICE',
  /** Set by ECS in every task: the agent endpoint (task scale-in protection). */
  ECS_AGENT_URI: 'ECS_AGENT_URI',
  /** Workers: minutes each task scale-in protection lasts (renewed at half-life while a job runs; default 60). */
  TASK_PROTECTION_MINUTES: 'RESTAIN_TASK_PROTECTION_MINUTES',
  /** Workers: file the worker touches every few seconds (the container HEALTHCHECK reads it); unset: none. */
  HEARTBEAT_FILE: 'RESTAIN_HEARTBEAT_FILE',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
