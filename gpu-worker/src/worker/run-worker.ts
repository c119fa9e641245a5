import { abortableSleep } from './abortable-sleep';
import { type ProcessJobOptions, type ProcessOutcome, processJob } from './process-job';
import { type WorkerDeps, describeError } from './worker-deps';

export interface RunWorkerOptions extends Omit<ProcessJobOptions, 'signal'> {
  /** Aborted on shutdown (SIGTERM): no new job is taken and the one in progress is handed back. */
  readonly signal: AbortSignal;
  /** Long poll per receive (s, at most 20 as on SQS). */
  readonly waitTimeSeconds: number;
  /** Called after a receive found no message (e.g. to drain the dead-letter queue); errors are logged. */
  readonly onIdle?: () => Promise<void>;
  /** Called after every delivery with what became of it. */
  readonly onOutcome?: (outcome: ProcessOutcome) => void;
  /**
   * Called with true before a received job is processed and false once it is settled (ECS task
   * scale-in protection on AWS); awaited, errors logged, never fatal.
   */
  readonly onBusyChange?: (busy: boolean) => Promise<void>;
}

export interface WorkerStats {
  readonly deliveries: number;
  readonly outcomes: Readonly<Record<ProcessOutcome['kind'], number>>;
}

/** Back-off after a queue or store error: doubling from 1 s up to 30 s, reset by any success. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The worker loop: long-poll the job queue and process one job at a time until `signal` aborts.
 * Every error is logged with its job id and the loop goes on; queue or store errors back off.
 * Resolves once the job in progress (if any) is settled or handed back.
 */
export async function runWorker(deps: WorkerDeps, options: RunWorkerOptions): Promise<WorkerStats> {
  const { signal } = options;
  const { log } = deps;
  const outcomes: Record<ProcessOutcome['kind'], number> = { succeeded: 0, failed: 0, retry: 0, 'handed-back': 0, dropped: 0 };
  let deliveries = 0;
  let backoffMs = FIRST_BACKOFF_MS;
  const backOff = async (): Promise<void> => {
    await abortableSleep(backoffMs, signal);
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
  };
  log('worker.started', { waitTimeSeconds: options.waitTimeSeconds, visibilityTimeoutSeconds: deps.visibilityTimeoutSeconds });
  while (!signal.aborted) {
    let messages;
    try {
      messages = await deps.queue.receive({
        maxMessages: 1,
        waitTimeSeconds: options.waitTimeSeconds,
        visibilityTimeoutSeconds: deps.visibilityTimeoutSeconds,
        signal,
      });
    } catch (error) {
      if (signal.aborted) break;
      log('queue.receive-failed', { error: describeError(error), retryInMs: backoffMs });
      await backOff();
      continue;
    }
    if (messages.length === 0) {
      if (options.onIdle && !signal.aborted) {
        await options.onIdle().catch((error: unknown) => log('worker.idle-task-failed', { error: describeError(error) }));
      }
      continue;
    }
    const setBusy = async (busy: boolean): Promise<void> => {
      await options.onBusyChange?.(busy).catch((error: unknown) => log('worker.busy-hook-failed', { busy, error: describeError(error) }));
    };
    await setBusy(true);
    for (const message of messages) {
      deliveries++;
      try {
        const outcome = await processJob(deps, message, { ...options, signal });
        outcomes[outcome.kind]++;
        options.onOutcome?.(outcome);
        backoffMs = FIRST_BACKOFF_MS;
      } catch (error) {
        // processJob settles every job failure itself: this is the queue or store failing under it.
        log('job.delivery-failed', { messageId: message.messageId, body: message.body.slice(0, 100), error: describeError(error), retryInMs: backoffMs });
        await backOff();
      }
    }
    await setBusy(false);
  }
  log('worker.stopped', { deliveries, outcomes });
  return { deliveries, outcomes };
}
