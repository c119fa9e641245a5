import { FINISHED_STATES, type JobError, type JobRecord, type ObjectStore, type ResultVersion, outboxPrefix } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { type PendingDrop, listPendingJobIds, readPending, removePending } from './drop-ledger';
import { SUMMARY_FILE, dropFolderOf } from './drop-paths';
import { isSuperseded, recordSummaryRow } from './folder-summary';
import { sleep } from './sleep';
import { writeJson } from '../objects/stored-json';

export const ERROR_FILE = 'error.json';

/** Files consumers watch for go last: scoring.json says "scores ready", manifest.json "all done". */
const LAST_FILES = ['scoring.json', 'manifest.json'];

export interface DeliveryOptions {
  /**
   * How long a pending entry may point at a job never created before the file is reported as
   * lost (the ingest that wrote it may still be creating the job). Default 600 s.
   */
  readonly missingJobGraceSeconds?: number;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** What one delivery pass did. */
export interface DeliveryReport {
  readonly delivered: readonly { readonly jobId: string; readonly dropPath: string; readonly outcome: 'succeeded' | 'failed' | 'superseded' }[];
  /** Drop-folder jobs not finished yet. */
  readonly waiting: number;
  /** Deliveries that hit a fault; they stay pending and are retried on the next pass. */
  readonly errors: readonly { readonly jobId: string; readonly message: string }[];
}

type Outcome = { readonly kind: 'succeeded'; readonly result: ResultVersion } | { readonly kind: 'failed'; readonly error: JobError };

/** The outcome to deliver for a job, or undefined while it is still on its way. */
function outcomeOf(record: JobRecord | undefined, claim: PendingDrop, now: Date, graceSeconds: number): Outcome | undefined {
  if (!record) {
    // Never created: the ingest may still be on its way (or is resumed by the next scan) for a while.
    if (!claim.jobCreated && now.getTime() - Date.parse(claim.claimedAt) < graceSeconds * 1000) return undefined;
    return { kind: 'failed', error: { code: 'NOT_FOUND', message: `The job for ${claim.dropPath} was deleted before it finished; drop the file again to retry` } };
  }
  switch (record.state) {
    case 'succeeded': {
      const result = record.results[0];
      if (result) return { kind: 'succeeded', result };
      return { kind: 'failed', error: { code: 'INTERNAL', message: `Job ${record.id} succeeded without a result` } };
    }
    case 'failed':
      return { kind: 'failed', error: record.error ?? { code: 'INTERNAL', message: `Job ${record.id} failed without a reason` } };
    case 'expired':
      return { kind: 'failed', error: { code: 'EXPIRED', message: `The results of ${claim.dropPath} expired before they were delivered` } };
    case 'deleted':
      return { kind: 'failed', error: { code: 'NOT_FOUND', message: `The job for ${claim.dropPath} was deleted before it finished` } };
    default:
      return undefined;
  }
}

/** Removes the files directly in `prefix` that this delivery did not write (an earlier version's outcome). */
async function removeStaleFiles(objects: ObjectStore, prefix: string, keep: ReadonlySet<string>): Promise<void> {
  let startAfter: string | undefined;
  do {
    const page = await objects.list(prefix, { startAfter, limit: 1000 });
    for (const { key } of page.objects) {
      const name = key.slice(prefix.length);
      // Deeper keys and a summary belong to other dropped paths (S3 allows `a.png` and `a.png/b.png`).
      if (!name.includes('/') && name !== SUMMARY_FILE && !keep.has(name)) await objects.delete(key);
    }
    startAfter = page.nextStartAfter;
  } while (startAfter);
}

/** Copy the v1 result files into the outbox, scoring.json and manifest.json last; each write is atomic. */
async function copyResult(objects: ObjectStore, result: ResultVersion, target: string): Promise<void> {
  const ordered = [...result.files.filter((name) => !LAST_FILES.includes(name)), ...LAST_FILES.filter((name) => result.files.includes(name))];
  for (const name of ordered) {
    const source = await objects.get(`${result.prefix}${name}`);
    if (!source) throw new Error(`Result file ${result.prefix}${name} is missing; delivery will be retried`);
    await objects.put(`${target}${name}`, source.body, source.info.contentType ? { contentType: source.info.contentType } : {});
  }
}

async function deliverOne(context: AppContext, jobId: string, graceSeconds: number): Promise<DeliveryReport['delivered'][number] | undefined> {
  const record = (await context.jobs.get(jobId))?.record;
  // Most passes find most jobs still running: decide that from the record alone.
  if (record && !FINISHED_STATES.includes(record.state)) return undefined;
  const claim = await readPending(context.objects, jobId);
  if (!claim) return undefined; // delivered by someone else meanwhile
  const outcome = outcomeOf(record, claim, context.now(), graceSeconds);
  if (!outcome) return undefined;
  const folder = dropFolderOf(claim.dropPath);
  const base = { jobId: claim.jobId, dropPath: claim.dropPath };
  if (await isSuperseded(context.objects, folder, claim)) {
    await removePending(context.objects, claim.jobId);
    return { ...base, outcome: 'superseded' };
  }
  const target = outboxPrefix(claim.dropPath);
  if (outcome.kind === 'succeeded') {
    await copyResult(context.objects, outcome.result, target);
    await removeStaleFiles(context.objects, target, new Set(outcome.result.files));
  } else {
    await writeJson(context.objects, `${target}${ERROR_FILE}`, { ...outcome.error, input: claim.dropPath, jobId: claim.jobId });
    await removeStaleFiles(context.objects, target, new Set([ERROR_FILE]));
  }
  const row = { path: claim.dropPath, jobId: claim.jobId, claimedAt: claim.claimedAt };
  if (outcome.kind === 'succeeded') {
    const { num_total, num_pos, num_neg, percent_pos, h_score } = outcome.result.scoring;
    await recordSummaryRow(context.objects, folder, { ...row, state: 'succeeded', scoring: { num_total, num_pos, num_neg, percent_pos, h_score } });
  } else {
    await recordSummaryRow(context.objects, folder, { ...row, state: 'failed', error: `${outcome.error.code}: ${outcome.error.message}` });
  }
  // Last: until this entry goes, a crash anywhere above means the whole delivery is simply redone.
  await removePending(context.objects, claim.jobId);
  return { ...base, outcome: outcome.kind };
}

/**
 * One pass over the pending drop-folder jobs: each finished one gets its outbox folder
 * (outbox/<dropPath>/ with the v1 result files, or error.json {code, message, input, jobId}) and
 * its row in outbox/<folder>/summary.csv, and leaves the pending list. Re-running after a crash
 * repeats only the unfinished delivery; a later drop of the same path wins over an earlier one.
 */
export async function deliverPendingDrops(context: AppContext, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const graceSeconds = options.missingJobGraceSeconds ?? 600;
  const delivered: DeliveryReport['delivered'][number][] = [];
  const errors: { jobId: string; message: string }[] = [];
  let waiting = 0;
  for await (const jobId of listPendingJobIds(context.objects)) {
    if (options.signal?.aborted) break;
    try {
      const done = await deliverOne(context, jobId, graceSeconds);
      if (!done) waiting++;
      else {
        delivered.push(done);
        options.log?.(`drop folder: ${done.dropPath} -> ${outboxPrefix(done.dropPath)} (${done.outcome})`);
      }
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      errors.push({ jobId, message });
      options.log?.(`drop folder: delivery for job ${jobId} will be retried: ${message}`);
    }
  }
  return { delivered, waiting, errors };
}

export interface DeliverFinishedDropsOptions extends Omit<DeliveryOptions, 'signal'> {
  readonly signal: AbortSignal;
  /** Pause between passes, in milliseconds (default 1000). */
  readonly intervalMs?: number;
}

/** Deliver finished drop-folder jobs to the outbox until `signal` aborts (the local platform's loop). */
export async function deliverFinishedDrops(context: AppContext, options: DeliverFinishedDropsOptions): Promise<void> {
  const intervalMs = options.intervalMs ?? 1000;
  while (!options.signal.aborted) {
    try {
      await deliverPendingDrops(context, options);
    } catch (error) {
      options.log?.(`drop folder: delivery pass failed: ${(error as Error)?.message ?? String(error)}`);
    }
    await sleep(intervalMs, options.signal);
  }
}
