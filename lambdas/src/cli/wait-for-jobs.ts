import type { JobView } from '../jobs/job-view';
import { ApiError, type ApiClient, ServerUnreachableError } from './api-client';
import type { CliIo } from './cli-io';
import { describeJobState, isFinished, printable } from './job-lines';

export interface WaitForJobsOptions {
  readonly client: ApiClient;
  /** Job id -> the name to show for it (the image path given on the command line). */
  readonly labels: ReadonlyMap<string, string>;
  readonly io: CliIo;
  /** Called once per job as soon as it is seen finished. */
  readonly onFinished: (job: JobView) => void;
  /** First and longest pause between polls, in ms (default 500 and 2000: quick jobs answer fast, long ones cost little). */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** How long the server may stay unreachable (or answer 429/5xx) before waiting gives up, in ms (default 60 000). */
  readonly giveUpAfterMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Errors worth waiting out: no answer, rate limiting, a server restarting. */
function isTransient(error: unknown): boolean {
  return error instanceof ServerUnreachableError || (error instanceof ApiError && (error.status === 429 || error.status >= 500));
}

/** A one-line progress display on a terminal (stderr), redrawn in place; silent elsewhere. */
class ProgressLine {
  private drawn = false;
  constructor(private readonly stream: CliIo['stderr']) {}

  draw(text: string): void {
    if (!this.stream.isTTY) return;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write(`\r${printable(text).slice(0, width)}\x1b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

/**
 * Poll jobs until every one has finished (succeeded, failed, expired or deleted), with a pause
 * growing from minDelayMs to maxDelayMs. A job that vanishes (404) counts as finished with that
 * error. Throws the last error when the server stays unreachable longer than giveUpAfterMs.
 */
export async function waitForJobs(jobIds: readonly string[], options: WaitForJobsOptions): Promise<Map<string, JobView>> {
  const { client, io } = options;
  const minDelayMs = options.minDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  const giveUpAfterMs = options.giveUpAfterMs ?? 60_000;
  const finished = new Map<string, JobView>();
  const latest = new Map<string, JobView>();
  const progress = new ProgressLine(io.stderr);
  let delayMs = minDelayMs;
  let failingSince: number | undefined;
  const finish = (job: JobView) => {
    finished.set(job.id, job);
    progress.clear();
    options.onFinished(job);
  };
  try {
    for (;;) {
      for (const jobId of jobIds) {
        if (finished.has(jobId)) continue;
        try {
          const job = await client.getJob(jobId);
          failingSince = undefined;
          latest.set(jobId, job);
          if (isFinished(job)) finish(job);
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) {
            finish({ ...(latest.get(jobId) ?? ({ id: jobId, displayName: null } as JobView)), state: 'deleted', error: { code: error.code, message: error.message } });
          } else if (!isTransient(error)) {
            throw error;
          } else {
            failingSince ??= Date.now();
            if (Date.now() - failingSince > giveUpAfterMs) throw error;
          }
        }
      }
      if (finished.size === jobIds.length) return finished;
      const running = jobIds.filter((id) => !finished.has(id)).map((id) => latest.get(id));
      const first = running.find((job) => job !== undefined);
      const label = first ? `${options.labels.get(first.id) ?? first.id} ${describeJobState(first)}` : 'waiting for the server';
      progress.draw(`${finished.size}/${jobIds.length} done; ${label}`);
      await sleep(delayMs);
      delayMs = Math.min(maxDelayMs, Math.round(delayMs * 1.5));
    }
  } finally {
    progress.clear();
  }
}
