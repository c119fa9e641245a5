import type { JobQueue } from '@restain/shared';
import { type WorkerLog, describeError } from './worker-deps';

export interface LeaseKeeper {
  /** Stops extending and waits for an extension in flight, so none lands after a hand-back. */
  stop(): Promise<void>;
}

/**
 * Extends a received message's visibility every third of the timeout while its job runs, so a
 * long job is not delivered to a second worker (SQS's heartbeat pattern). A failed extension is
 * logged and retried at the next beat: the job goes on either way, and create-only publishing
 * keeps a duplicate delivery harmless.
 */
export function keepLease(
  queue: JobQueue,
  receiptHandle: string,
  visibilityTimeoutSeconds: number,
  log: WorkerLog,
  fields: Record<string, unknown>,
): LeaseKeeper {
  const beatMs = Math.max(100, (visibilityTimeoutSeconds * 1000) / 3);
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const beat = (): void => {
    if (stopped) return;
    inFlight = queue.changeVisibility(receiptHandle, visibilityTimeoutSeconds).then(
      () => undefined,
      (error: unknown) => log('lease.extend-failed', { ...fields, error: describeError(error) }),
    );
    void inFlight.then(schedule);
  };
  const schedule = (): void => {
    if (!stopped) timer = setTimeout(beat, beatMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
