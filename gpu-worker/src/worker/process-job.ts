import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  FINISHED_STATES,
  type JobRecord,
  type QueueMessage,
  decodeJobMessage,
  inputKey,
  markRunning,
  updateJob,
} from '@restain/shared';
import { analyzeImage } from '../analysis/analyze-image';
import { DEFAULT_MAX_PIXELS } from '../analysis/analyze-options';
import { throwIfCancelled } from '../analysis/run-tiles';
import { classifyFailure } from './classify-failure';
import { downloadObject } from './download-object';
import { keepLease } from './lease-keeper';
import { reportProgress } from './progress-reporter';
import { publishResult, readPublishedVersion } from './publish-result';
import { type Delivery, type ProcessOutcome, settleFailure, settleSuccess } from './settle-delivery';
import { type WorkerDeps, describeError } from './worker-deps';

export type { ProcessOutcome } from './settle-delivery';

export interface ProcessJobOptions {
  /** Aborted on shutdown: the analysis stops and the job is handed back to the queue. */
  readonly signal?: AbortSignal;
  /** Tiles in flight at once (the engine's thread count; default 1). */
  readonly concurrency?: number;
  /** Shortest time between two progress writes to the job record (ms, default 500). */
  readonly progressIntervalMs?: number;
  /** Delay before the first retry of a transient failure (s, default 5), doubled per receive, capped at the visibility timeout. */
  readonly retryBaseSeconds?: number;
}

/** States a delivery can run from; any other means the message is stale or a duplicate. */
const RUNNABLE_STATES: readonly JobRecord['state'][] = ['uploaded', 'queued', 'running'];

function dropReason(record: JobRecord | undefined): string | undefined {
  if (!record) return 'the job does not exist (deleted or expired)';
  if (FINISHED_STATES.includes(record.state)) return `the job is already ${record.state}`;
  if (!RUNNABLE_STATES.includes(record.state)) return `the job is ${record.state}: its input has not been accepted`;
  return undefined;
}

/**
 * One delivery of a job message, at-least-once safe: run the analysis on the job's input,
 * publish result v1 create-only (manifest last), mark the job succeeded, delete the message.
 * A duplicate or stale delivery is dropped; a result an earlier attempt published is adopted
 * (never a second one); bad input fails the job once; other faults are recorded on the job and
 * retried after a backoff; on `signal` the job is handed back. Never throws for a job's failure.
 */
export async function processJob(deps: WorkerDeps, message: QueueMessage, options: ProcessJobOptions = {}): Promise<ProcessOutcome> {
  const { queue, jobs, objects, log } = deps;
  let jobId: string;
  try {
    jobId = decodeJobMessage(message.body).jobId;
  } catch (error) {
    log('message.malformed', { messageId: message.messageId, error: describeError(error) });
    await queue.delete(message.receiptHandle);
    return { kind: 'dropped', reason: (error as Error).message };
  }
  const attempt = message.receiveCount;
  const delivery: Delivery = { message, jobId, attempt, fields: { jobId, messageId: message.messageId, attempt } };
  const lease = keepLease(queue, message.receiptHandle, deps.visibilityTimeoutSeconds, log, delivery.fields);
  const startedAt = Date.now();
  let workDir: string | undefined;
  try {
    const reason = dropReason((await jobs.get(jobId))?.record);
    if (reason) return await drop(deps, delivery, lease.stop, reason);
    // An earlier attempt published the result but died before marking the job: finish its work.
    const published = await readPublishedVersion(objects, jobId, 1);
    if (published) return await settleSuccess(deps, delivery, published, false, undefined, lease.stop);

    const running = await updateJob(jobs, jobId, (record) =>
      dropReason(record) ? undefined : markRunning(record, attempt, deps.now()),
    );
    if (running?.record.state !== 'running' || running.record.attempts !== attempt) {
      return await drop(deps, delivery, lease.stop, dropReason(running?.record) ?? `the job changed to ${running?.record.state} meanwhile`);
    }
    const record = running.record;
    log('job.started', { ...delivery.fields, queuedMs: record.queuedAt ? Date.now() - Date.parse(record.queuedAt) : undefined });

    await mkdir(deps.tempDir, { recursive: true });
    workDir = await mkdtemp(path.join(deps.tempDir, 'job-'));
    const inputPath = path.join(workDir, 'input.png');
    await downloadObject(objects, inputKey(jobId), inputPath, options.signal);
    throwIfCancelled(options.signal);

    const progress = reportProgress(jobs, jobId, attempt, { intervalMs: options.progressIntervalMs ?? 500, now: deps.now, log });
    let analysis: Awaited<ReturnType<typeof analyzeImage>>;
    try {
      const inputPixels = (record.input?.width ?? 0) * (record.input?.height ?? 0);
      analysis = await analyzeImage({
        inputPath,
        outDir: path.join(workDir, 'out'),
        // The input was validated against the job pixel limit at upload: the worker never refuses it on size.
        // The stored input is the one page the user picked, validated into a single-page PNG.
        options: { scale: record.options.scale, page: 0, postprocess: record.options.postprocess, maxPixels: Math.max(DEFAULT_MAX_PIXELS, inputPixels) },
        engine: deps.engine,
        concurrency: options.concurrency ?? 1,
        onProgress: (tiles) => progress.report(tiles),
        signal: options.signal,
      });
    } finally {
      await progress.stop();
    }
    const { result, adopted } = await publishResult(objects, jobId, analysis.outDir, {
      scoring: analysis.scoring,
      createdAt: String(analysis.manifest.createdAt ?? deps.now().toISOString()),
      postprocess: record.options.postprocess,
    });
    log('job.published', { ...delivery.fields, adopted, workMs: Date.now() - startedAt });
    return await settleSuccess(deps, delivery, result, !adopted, progress.latest(), lease.stop);
  } catch (error) {
    await lease.stop();
    return await settleFailure(deps, delivery, classifyFailure(error, options.signal?.aborted === true), options.retryBaseSeconds ?? 5);
  } finally {
    await lease.stop();
    if (workDir) {
      await rm(workDir, { recursive: true, force: true }).catch((error: unknown) =>
        log('job.cleanup-failed', { ...delivery.fields, workDir, error: describeError(error) }),
      );
    }
  }
}

async function drop(deps: WorkerDeps, delivery: Delivery, stopLease: () => Promise<void>, reason: string): Promise<ProcessOutcome> {
  await stopLease();
  await deps.queue.delete(delivery.message.receiptHandle);
  deps.log('message.dropped', { ...delivery.fields, reason });
  return { kind: 'dropped', jobId: delivery.jobId, reason };
}
