import { randomUUID } from 'node:crypto';
import {
  DEFAULT_POSTPROCESS_OPTIONS,
  type JobError,
  type JobOptions,
  type JobRecord,
  type JobState,
  type ObjectInfo,
  isRestainError,
} from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { type DropClaim, claimDrop, readPending, removePending, writePending } from './drop-ledger';
import { classifyInboxKey, dropDisplayName, dropFolderOf } from './drop-paths';
import { recordSummaryRow } from './folder-summary';
import { acceptDroppedFile } from './accept-dropped-file';

/** Settings of drop-folder jobs (the folder has no form to ask the user). */
export interface IngestDropOptions {
  /** Owner of drop-folder jobs: `local` on one machine, or the operator's configured owner id. */
  readonly owner?: string;
  /** Analysis options; default auto resolution and DeepLIIF's default thresholds. */
  readonly jobOptions?: JobOptions;
  /** The object as listed, or as the S3 event described it; read with head() when absent. */
  readonly info?: ObjectInfo;
  /**
   * A claim whose job is still `created` after this long was left by an ingest that stopped
   * (crash, restart) and is finished by whoever sees it next; younger ones are another
   * scanner's work in progress. Seconds, default 300 (validating a 10000 x 10000 image fits).
   */
  readonly resumeAfterSeconds?: number;
}

/** What ingesting one inbox object did. */
export type IngestOutcome =
  | { readonly kind: 'ignored' | 'refused'; readonly key: string; readonly reason: string }
  /** The object was gone before it could be claimed. */
  | { readonly kind: 'vanished'; readonly key: string }
  | { readonly kind: 'queued'; readonly key: string; readonly dropPath: string; readonly jobId: string }
  /** A job was made but the file is unusable: it failed at once and its error.json will follow. */
  | { readonly kind: 'failed'; readonly key: string; readonly dropPath: string; readonly jobId: string; readonly error: JobError }
  /** Another ingest of this file version is under way; ask again later (it is resumed if that one stopped). */
  | { readonly kind: 'in-progress'; readonly key: string; readonly dropPath: string; readonly jobId: string }
  /**
   * This version of the file already became a job (another scanner, an earlier run, a repeated
   * event); `gone` when that job has since been deleted or forgotten by retention.
   */
  | { readonly kind: 'duplicate'; readonly key: string; readonly dropPath: string; readonly jobId: string; readonly state: JobState | 'gone' };

export const DEFAULT_DROP_OWNER = 'local';

export const DEFAULT_DROP_JOB_OPTIONS: JobOptions = Object.freeze({
  scale: { kind: 'auto' } as const,
  postprocess: DEFAULT_POSTPROCESS_OPTIONS,
  page: 0,
});

/** A drop-folder job record in state `created`, under the id its claim already holds. */
function newDropJob(context: AppContext, jobId: string, owner: string, options: JobOptions, dropPath: string): JobRecord {
  const now = context.now().toISOString();
  return {
    id: jobId,
    owner,
    source: 'drop-folder',
    state: 'created',
    options,
    createdAt: now,
    updatedAt: now,
    attempts: 0,
    results: [],
    displayName: dropDisplayName(dropPath),
    dropPath,
  };
}

async function ensureJob(context: AppContext, record: JobRecord): Promise<JobRecord> {
  const existing = await context.jobs.get(record.id);
  if (existing) return existing.record;
  try {
    return (await context.jobs.create(record)).record;
  } catch (error) {
    if (!(isRestainError(error) && error.code === 'CONFLICT')) throw error;
    const raced = await context.jobs.get(record.id);
    if (!raced) throw error;
    return raced.record;
  }
}

/**
 * For a file version someone claimed before: the outcome to report, or undefined when the ingest
 * that claimed it stopped part-way (its job missing or still `created`, the claim stale) and this
 * call should finish it.
 */
async function earlierIngest(context: AppContext, key: string, claim: DropClaim, resumeAfterSeconds: number): Promise<IngestOutcome | undefined> {
  const { jobId, dropPath } = claim;
  const record = (await context.jobs.get(jobId))?.record;
  if (record && record.state !== 'created' && record.state !== 'uploaded') return { kind: 'duplicate', key, dropPath, jobId, state: record.state };
  if (!record) {
    // Without a pending entry the outcome was delivered; with one marked jobCreated the owner deleted the job.
    const pending = await readPending(context.objects, jobId);
    if (!pending || pending.jobCreated) return { kind: 'duplicate', key, dropPath, jobId, state: 'gone' };
  }
  const ageMs = context.now().getTime() - Date.parse(claim.claimedAt);
  return ageMs < resumeAfterSeconds * 1000 ? { kind: 'in-progress', key, dropPath, jobId } : undefined;
}

/**
 * Turn one object under inbox/ into one drop-folder job: refuse path tricks, skip hidden and
 * temporary files, claim this version of the file in the ledger (create-only, so repeated calls,
 * restarts and concurrent scanners make one job), create the job, and hand the bytes to upload
 * validation, which stores the input and queues it or fails the job with the reason. Safe to call
 * again after a crash at any step: a claimed job still in `created` is picked up where it stopped.
 */
export async function ingestDroppedObject(context: AppContext, key: string, options: IngestDropOptions = {}): Promise<IngestOutcome> {
  const entry = classifyInboxKey(key);
  if (entry.kind !== 'candidate') return { kind: entry.kind, key, reason: entry.reason };
  const { dropPath } = entry;
  const info = options.info ?? (await context.objects.head(key));
  if (!info) return { kind: 'vanished', key };

  const proposed: DropClaim = {
    jobId: randomUUID(),
    inboxKey: key,
    dropPath,
    sizeBytes: info.sizeBytes,
    etag: info.etag,
    claimedAt: context.now().toISOString(),
  };
  // The to-do entry goes first, so a crash right after the claim still leaves delivery a trace.
  await writePending(context.objects, proposed);
  const { claim, created } = await claimDrop(context.objects, proposed);
  if (!created) {
    await removePending(context.objects, proposed.jobId); // the earlier claim's job is the one
    const earlier = await earlierIngest(context, key, claim, options.resumeAfterSeconds ?? 300);
    if (earlier) return earlier;
  }
  const { jobId } = claim;
  const owner = options.owner ?? DEFAULT_DROP_OWNER;
  await ensureJob(context, newDropJob(context, jobId, owner, options.jobOptions ?? DEFAULT_DROP_JOB_OPTIONS, dropPath));
  await writePending(context.objects, { ...claim, jobCreated: true });
  await recordSummaryRow(context.objects, dropFolderOf(dropPath), { path: dropPath, jobId, claimedAt: claim.claimedAt, state: 'pending' });

  const error = await acceptDroppedFile(context, jobId, info, dropPath);
  if (error) return { kind: 'failed', key, dropPath, jobId, error };
  return { kind: 'queued', key, dropPath, jobId };
}
