import type { JobQueue, JobStore, ObjectStore } from '@restain/shared';
import type { Engine } from '../engines/engine';

/** One structured event: `event` names what happened (`job.succeeded`), `fields` carry ids and figures. */
export type WorkerLog = (event: string, fields?: Record<string, unknown>) => void;

/** What a worker needs from its home (local adapters or AWS ones): ports only, never an adapter. */
export interface WorkerDeps {
  readonly objects: ObjectStore;
  readonly queue: JobQueue;
  readonly jobs: JobStore;
  readonly engine: Engine;
  /** Folder for each job's downloaded input and result files (a per-job subfolder, always removed). */
  readonly tempDir: string;
  /** How long a finished job is kept (sets its expiresAt). */
  readonly retentionSeconds: number;
  /** Lease taken on each message; extended every third of it while the job runs. */
  readonly visibilityTimeoutSeconds: number;
  readonly now: () => Date;
  readonly log: WorkerLog;
}

/** Plain-data form of an error for a log line (never the stack: one line per event). */
export function describeError(error: unknown): { code?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { ...(typeof code === 'string' ? { code } : {}), message: error.message };
  }
  return { message: String(error) };
}
