import { type JobProgress, type JobStore, markProgress, updateJob } from '@restain/shared';
import { type WorkerLog, describeError } from './worker-deps';

export interface ProgressReporter {
  /** Note the latest tile count; it is written when the last write is at least the interval old. */
  report(progress: JobProgress): void;
  /** The latest tile count reported (written or not). */
  latest(): JobProgress | undefined;
  /** Stops writing and waits for a write in flight, so none lands after the final state. */
  stop(): Promise<void>;
}

/**
 * Throttled progress writes to a running job's record: at most one every `intervalMs`, one at a
 * time, latest value wins. A write never fails the job (logged and dropped), and it only applies
 * while the record is running this same attempt, so it cannot undo a final or handed-back state.
 */
export function reportProgress(
  jobs: JobStore,
  jobId: string,
  attempt: number,
  options: { readonly intervalMs: number; readonly now: () => Date; readonly log: WorkerLog },
): ProgressReporter {
  let pending: JobProgress | undefined;
  let last: JobProgress | undefined;
  let lastWriteAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const write = (): void => {
    timer = undefined;
    if (stopped || inFlight || !pending) return;
    const progress = pending;
    pending = undefined;
    lastWriteAt = Date.now();
    inFlight = updateJob(jobs, jobId, (record) =>
      record.state === 'running' && record.attempts === attempt ? markProgress(record, progress, options.now()) : undefined,
    ).then(
      () => undefined,
      (error: unknown) => options.log('job.progress-failed', { jobId, attempt, error: describeError(error) }),
    );
    void inFlight.then(() => {
      inFlight = undefined;
      if (pending) schedule();
    });
  };
  const schedule = (): void => {
    if (stopped || timer || inFlight) return;
    timer = setTimeout(write, Math.max(0, lastWriteAt + options.intervalMs - Date.now()));
  };

  return {
    report(progress) {
      last = progress;
      pending = progress;
      schedule();
    },
    latest: () => last,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
