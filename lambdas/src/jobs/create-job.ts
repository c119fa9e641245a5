import { randomUUID } from 'node:crypto';
import type { JobOptions, JobRecord, JobSource } from '@restain/shared';
import type { AppContext } from '../api/app-context';

export interface NewJob {
  readonly owner: string;
  readonly source: JobSource;
  readonly options: JobOptions;
  /** Sanitised display text of the image's name. */
  readonly displayName?: string;
  /** Create-then-upload: when the signed upload URL stops working (ISO time). */
  readonly uploadExpiresAt?: string;
  /** Drop-folder jobs: the image's path relative to inbox/. */
  readonly dropPath?: string;
}

/** Stores a new job in state `created` under a fresh unguessable id (UUIDv4). */
export async function createJob(context: AppContext, job: NewJob): Promise<JobRecord> {
  const now = context.now().toISOString();
  const record: JobRecord = {
    id: randomUUID(),
    owner: job.owner,
    source: job.source,
    state: 'created',
    options: job.options,
    createdAt: now,
    updatedAt: now,
    attempts: 0,
    results: [],
    ...(job.displayName !== undefined ? { displayName: job.displayName } : {}),
    ...(job.uploadExpiresAt !== undefined ? { uploadExpiresAt: job.uploadExpiresAt } : {}),
    ...(job.dropPath !== undefined ? { dropPath: job.dropPath } : {}),
  };
  return (await context.jobs.create(record)).record;
}
