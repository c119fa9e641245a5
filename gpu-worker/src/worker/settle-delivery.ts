import {
  FINISHED_STATES,
  type JobError,
  type JobProgress,
  type JobRecord,
  type QueueMessage,
  type ResultVersion,
  markFailed,
  markRequeued,
  markRunning,
  markSucceeded,
  updateJob,
} from '@restain/shared';
import { type Failure, retryDelaySeconds } from './classify-failure';
import { removeResults } from './publish-result';
import { type WorkerDeps, describeError } from './worker-deps';

/** What became of one delivery of a job message. */
export type ProcessOutcome =
  /** Result v1 is published and the job marked; `analyzed` is false when an earlier attempt's result was adopted. */
  | { readonly kind: 'succeeded'; readonly jobId: string; readonly result: ResultVersion; readonly analyzed: boolean }
  /** Bad input: the job failed for good and the message was deleted. */
  | { readonly kind: 'failed'; readonly jobId: string; readonly error: JobError }
  /** A transient fault: the message comes back after `delaySeconds` (until the dead-letter queue takes it). */
  | { readonly kind: 'retry'; readonly jobId: string; readonly error: JobError; readonly delaySeconds: number }
  /** Shutdown: the job is queued again and its message visible at once. */
  | { readonly kind: 'handed-back'; readonly jobId: string }
  /** Nothing to do: a malformed message, or a duplicate or stale delivery of a missing or finished job. */
  | { readonly kind: 'dropped'; readonly jobId?: string; readonly reason: string };

/** The delivery being settled: the message, its job and attempt, and fields for log lines. */
export interface Delivery {
  readonly message: QueueMessage;
  readonly jobId: string;
  readonly attempt: number;
  readonly fields: Record<string, unknown>;
}

const isFinished = (record: JobRecord): boolean => FINISHED_STATES.includes(record.state);

/** Settle queue work after the job is decided; a queue failure is logged (the message comes back and is dropped then). */
async function settleMessage(deps: WorkerDeps, delivery: Delivery, visibilitySeconds: number | 'delete'): Promise<void> {
  try {
    if (visibilitySeconds === 'delete') await deps.queue.delete(delivery.message.receiptHandle);
    else await deps.queue.changeVisibility(delivery.message.receiptHandle, visibilitySeconds);
  } catch (error) {
    deps.log('message.settle-failed', { ...delivery.fields, action: visibilitySeconds === 'delete' ? 'delete' : 'hand-back', error: describeError(error) });
  }
}

/** Mark the job succeeded with `result` (once: a finished job is left as it is), then delete the message. */
export async function settleSuccess(
  deps: WorkerDeps,
  delivery: Delivery,
  result: ResultVersion,
  analyzed: boolean,
  progress: JobProgress | undefined,
  stopLease: () => Promise<void>,
): Promise<ProcessOutcome> {
  const stored = await updateJob(deps.jobs, delivery.jobId, (record) => {
    if (isFinished(record) || record.state === 'created') return undefined;
    const running = record.state === 'running' ? record : markRunning(record, delivery.attempt, deps.now());
    const succeeded = markSucceeded(running, result, deps.retentionSeconds, deps.now());
    return progress ? { ...succeeded, progress } : succeeded;
  });
  if (!stored || stored.record.state === 'deleted') {
    // Deleted while it ran: what this attempt published belongs to nobody.
    const removed = await removeResults(deps.objects, delivery.jobId);
    deps.log('job.deleted-while-running', { ...delivery.fields, removedObjects: removed });
  } else {
    deps.log('job.succeeded', { ...delivery.fields, analyzed, state: stored.record.state, numTotal: result.scoring.num_total, percentPos: result.scoring.percent_pos });
  }
  await stopLease();
  await settleMessage(deps, delivery, 'delete');
  return { kind: 'succeeded', jobId: delivery.jobId, result, analyzed };
}

/** Settle a failed delivery by its class: hand back, fail for good, or record the error and retry later. */
export async function settleFailure(deps: WorkerDeps, delivery: Delivery, failure: Failure, retryBaseSeconds: number): Promise<ProcessOutcome> {
  const { jobId, attempt, fields } = delivery;
  const ours = (record: JobRecord) => record.state === 'running' && record.attempts === attempt;
  if (failure.kind === 'cancelled') {
    try {
      await updateJob(deps.jobs, jobId, (record) => (ours(record) ? markRequeued(record, deps.now()) : undefined));
    } catch (error) {
      deps.log('job.requeue-failed', { ...fields, error: describeError(error) });
    }
    await settleMessage(deps, delivery, 0);
    deps.log('job.handed-back', fields);
    return { kind: 'handed-back', jobId };
  }
  if (failure.kind === 'input') {
    try {
      await updateJob(deps.jobs, jobId, (record) =>
        isFinished(record) ? undefined : markFailed(record, failure.error, deps.retentionSeconds, deps.now()),
      );
    } catch (error) {
      // The reason could not be recorded: keep the message so a later delivery records it.
      deps.log('job.fail-record-failed', { ...fields, error: describeError(error) });
      return settleTransient(deps, delivery, failure.error, retryBaseSeconds, false);
    }
    await settleMessage(deps, delivery, 'delete');
    deps.log('job.failed', { ...fields, error: failure.error });
    return { kind: 'failed', jobId, error: failure.error };
  }
  return settleTransient(deps, delivery, failure.error, retryBaseSeconds, true);
}

async function settleTransient(deps: WorkerDeps, delivery: Delivery, error: JobError, retryBaseSeconds: number, record: boolean): Promise<ProcessOutcome> {
  const { jobId, attempt, fields } = delivery;
  const delaySeconds = retryDelaySeconds(attempt, retryBaseSeconds, deps.visibilityTimeoutSeconds);
  if (record) {
    try {
      await updateJob(deps.jobs, jobId, (current) => {
        if (isFinished(current)) return undefined;
        const requeued = current.state === 'running' && current.attempts === attempt ? markRequeued(current, deps.now()) : current;
        return { ...requeued, lastError: error, updatedAt: deps.now().toISOString() };
      });
    } catch (storeError) {
      deps.log('job.error-record-failed', { ...fields, error: describeError(storeError) });
    }
  }
  await settleMessage(deps, delivery, delaySeconds);
  deps.log('job.retry', { ...fields, error, delaySeconds });
  return { kind: 'retry', jobId, error, delaySeconds };
}
