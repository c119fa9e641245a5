import type { PostprocessOptions } from '../postprocess/postprocess-options';
import type { ScaleSpec } from '../scale/resolution';
import type { Scoring } from '../scoring/score-cells';

/**
 * The job lifecycle (ARCHITECTURE.md): created -> uploaded -> queued -> running -> succeeded |
 * failed, plus expired (retention passed) and deleted. One list, used by every service.
 */
export const JOB_STATES = ['created', 'uploaded', 'queued', 'running', 'succeeded', 'failed', 'expired', 'deleted'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States a job never leaves (except to expire or be deleted). */
export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'expired', 'deleted'];

/** Where a job came from: decides nothing about processing, only how results are delivered. */
export type JobSource = 'jobs-api' | 'deepliif-api' | 'drop-folder' | 'web';

/** The validated input as stored (metadata stripped). */
export interface JobInput {
  /** Object key of the stored input image. */
  readonly key: string;
  /** The uploaded file's name, sanitised: display text only, never a path. */
  readonly displayName: string;
  /** Format detected from the content (png, jpeg, tiff, webp). */
  readonly format: string;
  readonly width: number;
  readonly height: number;
  readonly sizeBytes: number;
  /** sha256 (hex) of the stored input. */
  readonly sha256: string;
}

/** What the user asked for; fixed at creation. */
export interface JobOptions {
  readonly scale: ScaleSpec;
  readonly postprocess: PostprocessOptions;
  /** Page of a multi-page TIFF (0-based). */
  readonly page: number;
}

export interface JobProgress {
  readonly tilesDone: number;
  readonly tilesTotal: number;
}

export interface JobError {
  /** A RestainError code (or WORKER_CRASHED / EXPIRED_UPLOAD for platform-level failures). */
  readonly code: string;
  readonly message: string;
}

/** One published set of result files: v1 from the analysis, v2.. from re-scoring. */
export interface ResultVersion {
  readonly version: number;
  /** Object key prefix holding the files, ending in `/`. */
  readonly prefix: string;
  readonly createdAt: string;
  readonly postprocess: PostprocessOptions;
  readonly scoring: Scoring;
  /** File names under `prefix`. */
  readonly files: readonly string[];
}

export interface JobFeedback {
  readonly text: string;
  readonly createdAt: string;
}

export interface JobRecord {
  /** Unguessable (UUIDv4). */
  readonly id: string;
  /** Owner id: an API key's id, `local`, or `anonymous`. Other owners get 404. */
  readonly owner: string;
  readonly source: JobSource;
  readonly state: JobState;
  readonly options: JobOptions;
  /** ISO-8601 times. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly uploadedAt?: string;
  readonly queuedAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** After this the job and its files are removed (retention). */
  readonly expiresAt?: string;
  /** Create-then-upload: the upload URL stops working at this time. */
  readonly uploadExpiresAt?: string;
  /** Display name given at creation, before the upload arrives. */
  readonly displayName?: string;
  readonly input?: JobInput;
  readonly progress?: JobProgress;
  /** Deliveries so far (the queue's receive count of the latest one). */
  readonly attempts: number;
  readonly error?: JobError;
  /** Result versions, oldest first; the last is current. */
  readonly results: readonly ResultVersion[];
  /** Drop-folder jobs: the image's path relative to inbox/ (results go to outbox/<this>/). */
  readonly dropPath?: string;
  readonly feedback?: readonly JobFeedback[];
  /**
   * The latest transient failure of a delivery that will be retried (engine crash, storage
   * hiccup); `error` stays for the final reason. The dead-letter handler reports this one.
   */
  readonly lastError?: JobError;
}

/** The current (latest) result version, if any. */
export function currentResult(record: JobRecord): ResultVersion | undefined {
  return record.results[record.results.length - 1];
}
