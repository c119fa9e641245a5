import type { FleetFigures, JobQueue, JobStore, ObjectStore } from '@restain/shared';

export type { FleetFigures };

/** API settings, parsed once by each deployable's config.ts and frozen. */
export interface ApiConfig {
  /** Origin clients reach the API at, for links in responses (e.g. http://127.0.0.1:8080). */
  readonly publicBaseUrl: string;
  /** false only when bound to loopback: a request without a key then acts as the `local` user. */
  readonly requireApiKeys: boolean;
  /** Operator opened the DeepLIIF-compatible endpoints to anonymous use (rate-limited per address). */
  readonly anonymousDeepliif: boolean;
  readonly rateLimitPerMinute: number;
  /** Pixel limit of the synchronous /api/infer (DeepLIIF: 3000 x 3000). */
  readonly syncMaxPixels: number;
  /** Pixel limit of jobs (10000 x 10000 by default). */
  readonly jobMaxPixels: number;
  readonly maxUploadBytes: number;
  /** Finished jobs and their files are removed after this long. */
  readonly retentionSeconds: number;
  /** Lifetime of signed upload/download URLs. */
  readonly signedUrlTtlSeconds: number;
  /** How long a synchronous /api/infer waits for its job before answering 503. */
  readonly syncTimeoutSeconds: number;
  /** Scratch space for request bodies and validation (same filesystem as nothing in particular). */
  readonly tempDir: string;
}

/** Where the worker figures come from: ECS DescribeServices on AWS, the worker pool locally. */
export interface FleetStatus {
  describe(): Promise<FleetFigures>;
}

/** Everything the API app needs from the outside world: ports, config, a clock. */
export interface AppContext {
  readonly objects: ObjectStore;
  readonly queue: JobQueue;
  readonly jobs: JobStore;
  readonly config: ApiConfig;
  readonly now: () => Date;
  /** The worker fleet, when this home can tell (absent: GET /api/status reports workers as null). */
  readonly fleet?: FleetStatus;
}
