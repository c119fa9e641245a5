import type { JobRecord, JobState } from '../jobs/job-record';

/**
 * JobStore port: job records with compare-and-swap updates. Every write names the version it
 * read; a concurrent writer makes it fail with CONFLICT and the caller re-reads (`updateJob`).
 * Local adapter: SQLite; AWS adapter: objects with S3 conditional writes.
 */

export interface VersionedJob {
  readonly record: JobRecord;
  /** Opaque version of this record (increments locally; an S3 ETag on AWS). */
  readonly version: string;
}

export interface JobPage {
  readonly jobs: readonly JobRecord[];
  /** Opaque cursor for the next page (newest first); absent on the last page. */
  readonly nextCursor?: string;
}

export interface JobStore {
  /** Store a new record; CONFLICT when the id exists. */
  create(record: JobRecord): Promise<VersionedJob>;
  get(jobId: string): Promise<VersionedJob | undefined>;
  /** Replace the record if it is still at `expectedVersion`; CONFLICT otherwise. */
  replace(record: JobRecord, expectedVersion: string): Promise<VersionedJob>;
  delete(jobId: string): Promise<void>;
  /** One owner's jobs, newest first. */
  listByOwner(owner: string, options: { readonly limit: number; readonly cursor?: string }): Promise<JobPage>;
  /** Jobs in `state` created before `createdBefore` (ISO time), oldest first, for sweeps. */
  listByState(state: JobState, options: { readonly limit: number; readonly createdBefore?: string }): Promise<readonly JobRecord[]>;
  /** How many queued jobs were queued before this time (the queue position of a job queued then). */
  countQueuedBefore(queuedAt: string): Promise<number>;
}
