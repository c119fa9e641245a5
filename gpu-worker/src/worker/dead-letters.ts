import { FINISHED_STATES, type JobError, type JobQueue, decodeJobMessage, markFailed, updateJob } from '@restain/shared';
import { abortableSleep } from './abortable-sleep';
import { type WorkerDeps, describeError } from './worker-deps';

export interface DeadLetterDeps extends Pick<WorkerDeps, 'jobs' | 'retentionSeconds' | 'now' | 'log'> {
  /** The queue the job queue moves a message to after `maxReceiveCount` receives. */
  readonly deadLetters: JobQueue;
  readonly maxReceiveCount: number;
}

export interface DrainSummary {
  /** Dead-letter messages handled and deleted. */
  readonly drained: number;
  /** Jobs marked failed by them (the others were already finished or gone). */
  readonly failedJobs: number;
}

/** Messages handled per call: draining is bounded so a flood never starves the caller. */
const MAX_PER_DRAIN = 100;
/** Lease on a dead letter while its job is marked: long enough for one record update. */
const DEAD_LETTER_VISIBILITY_SECONDS = 30;

/** The reason a dead-lettered job failed: its last recorded error, or a crash when none was recorded. */
export function deadLetterError(lastError: JobError | undefined, attempts: number): JobError {
  const last = lastError
    ? `last: ${lastError.message}`
    : 'last: the worker stopped without reporting an error, e.g. it crashed or ran out of memory';
  return {
    code: lastError?.code ?? 'WORKER_CRASHED',
    message: `The job failed ${attempts} times while processing (${last}); it was moved to the dead-letter queue`,
  };
}

/**
 * Fail job `jobId`, whose message was dead-lettered, with its reason (deadLetterError); a job
 * already finished or gone is left as it is. True when this call failed it. Used per message by
 * drainDeadLetters and by the AWS dead-letter Lambda (SQS hands it the messages).
 */
export async function failDeadLetteredJob(deps: Omit<DeadLetterDeps, 'deadLetters'>, jobId: string, messageId: string): Promise<boolean> {
  let marked = false;
  await updateJob(deps.jobs, jobId, (record) => {
    marked = false;
    if (FINISHED_STATES.includes(record.state)) return undefined;
    const attempts = Math.max(record.attempts, deps.maxReceiveCount);
    marked = true;
    return markFailed(record, deadLetterError(record.lastError, attempts), deps.retentionSeconds, deps.now());
  });
  deps.log(marked ? 'dead-letter.job-failed' : 'dead-letter.job-already-finished', { jobId, messageId });
  return marked;
}

/**
 * Fail the jobs of dead-lettered messages with their reason, then delete the messages. Each
 * message is settled at most once; a job already finished is left as it is, so running this
 * from every worker at once is safe. Stops after MAX_PER_DRAIN messages, an empty queue or `signal`.
 */
export async function drainDeadLetters(deps: DeadLetterDeps, signal?: AbortSignal): Promise<DrainSummary> {
  let drained = 0;
  let failedJobs = 0;
  while (drained < MAX_PER_DRAIN && !signal?.aborted) {
    const messages = await deps.deadLetters.receive({
      maxMessages: Math.min(10, MAX_PER_DRAIN - drained),
      waitTimeSeconds: 0,
      visibilityTimeoutSeconds: DEAD_LETTER_VISIBILITY_SECONDS,
      signal,
    });
    if (messages.length === 0) break;
    for (const message of messages) {
      let jobId: string | undefined;
      try {
        jobId = decodeJobMessage(message.body).jobId;
      } catch (error) {
        deps.log('dead-letter.malformed', { messageId: message.messageId, error: describeError(error) });
      }
      if (jobId && (await failDeadLetteredJob(deps, jobId, message.messageId))) failedJobs++;
      await deps.deadLetters.delete(message.receiptHandle);
      drained++;
    }
  }
  return { drained, failedJobs };
}

/**
 * Drain the dead-letter queue every `intervalMs` until `signal` aborts, so a poison job's record
 * says why it failed even while the workers are busy. Errors are logged and the loop goes on.
 */
export async function keepDrainingDeadLetters(deps: DeadLetterDeps, options: { readonly signal: AbortSignal; readonly intervalMs: number }): Promise<void> {
  const { signal } = options;
  while (!signal.aborted) {
    try {
      const summary = await drainDeadLetters(deps, signal);
      if (summary.drained > 0) deps.log('dead-letter.drained', { ...summary });
    } catch (error) {
      deps.log('dead-letter.drain-failed', { error: describeError(error) });
    }
    await abortableSleep(options.intervalMs, signal);
  }
}
