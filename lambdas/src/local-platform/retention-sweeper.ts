import {
  type JobError,
  type JobRecord,
  type JobStore,
  type ObjectStore,
  OBJECT_PREFIXES,
  canTransition,
  jobResultsPrefix,
  markFailed,
  updateJob,
  uploadKey,
} from '@restain/shared';

/** What one sweep did (for the log line and tests). */
export interface SweepReport {
  /** Finished jobs past their retention: files removed, record marked expired. */
  readonly expired: number;
  /** Expired records kept one more retention period (so clients learn "expired", not "unknown") and now removed. */
  readonly forgotten: number;
  /** Create-then-upload jobs whose upload URL ran out with nothing uploaded: marked failed. */
  readonly abandonedUploads: number;
}

export interface RetentionSweeperOptions {
  readonly jobs: JobStore;
  readonly objects: ObjectStore;
  readonly retentionSeconds: number;
  readonly now: () => Date;
  readonly log: (line: string) => void;
}

const PAGE = 200;

/** Removes every object under `prefix`, page by page. */
async function deletePrefix(objects: ObjectStore, prefix: string): Promise<void> {
  for (;;) {
    const page = await objects.list(prefix, { limit: 1000 });
    if (page.objects.length === 0) return;
    for (const object of page.objects) await objects.delete(object.key);
    if (!page.nextStartAfter) return;
  }
}

/** Every file a job owns: the raw upload, the validated input, every result version. */
async function deleteJobFiles(objects: ObjectStore, jobId: string): Promise<void> {
  await objects.delete(uploadKey(jobId));
  await deletePrefix(objects, `${OBJECT_PREFIXES.inputs}${jobId}/`);
  await deletePrefix(objects, jobResultsPrefix(jobId));
}

function isPast(iso: string | undefined, now: Date): boolean {
  return iso !== undefined && Date.parse(iso) <= now.getTime();
}

/**
 * One pass of retention: finished jobs past `expiresAt` lose their files and become `expired`;
 * expired records older than another retention period are deleted; uploads never made before
 * their URL expired fail with EXPIRED_UPLOAD. Drop-folder results in outbox/ are the user's and stay.
 */
export async function sweepOnce(options: RetentionSweeperOptions): Promise<SweepReport> {
  const now = options.now();
  // A job finished (so expiring) at T was created before T - retention; this bounds the scan.
  const createdBefore = new Date(now.getTime() - options.retentionSeconds * 1000).toISOString();
  let expired = 0;
  for (const state of ['succeeded', 'failed'] as const) {
    const candidates = await options.jobs.listByState(state, { limit: PAGE, createdBefore });
    for (const job of candidates.filter((record) => isPast(record.expiresAt, now))) {
      await deleteJobFiles(options.objects, job.id);
      const stored = await updateJob(options.jobs, job.id, (record) =>
        canTransition(record.state, 'expired') ? { ...record, state: 'expired', updatedAt: now.toISOString(), results: [] } : undefined,
      );
      if (stored?.record.state === 'expired') expired++;
    }
  }
  const forgetBefore = new Date(now.getTime() - 2 * options.retentionSeconds * 1000).toISOString();
  let forgotten = 0;
  for (const job of await options.jobs.listByState('expired', { limit: PAGE, createdBefore: forgetBefore })) {
    if (job.expiresAt !== undefined && Date.parse(job.expiresAt) + options.retentionSeconds * 1000 > now.getTime()) continue;
    await options.jobs.delete(job.id);
    forgotten++;
  }
  let abandonedUploads = 0;
  for (const job of await options.jobs.listByState('created', { limit: PAGE, createdBefore: now.toISOString() })) {
    if (!isPast(job.uploadExpiresAt, now)) continue;
    const error: JobError = { code: 'EXPIRED_UPLOAD', message: `No image was uploaded before the upload URL expired at ${job.uploadExpiresAt}` };
    const stored = await updateJob(options.jobs, job.id, (record: JobRecord) =>
      record.state === 'created' ? markFailed(record, error, options.retentionSeconds, now) : undefined,
    );
    await options.objects.delete(uploadKey(job.id));
    if (stored?.record.state === 'failed') abandonedUploads++;
  }
  return { expired, forgotten, abandonedUploads };
}

/** Runs `sweepOnce` now and every `intervalMs`; errors are logged, never fatal. Returns a stop function. */
export function startRetentionSweeper(options: RetentionSweeperOptions, intervalMs: number): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = sweepOnce(options).then(
      (report) => {
        if (report.expired + report.forgotten + report.abandonedUploads > 0) {
          options.log(`retention: ${report.expired} job(s) expired, ${report.forgotten} record(s) removed, ${report.abandonedUploads} abandoned upload(s) failed`);
        }
      },
      (error: unknown) => options.log(`retention sweep failed: ${(error as Error)?.message ?? String(error)}`),
    );
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
