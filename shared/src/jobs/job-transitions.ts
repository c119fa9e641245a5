import { RestainError } from '../errors';
import type { JobError, JobProgress, JobRecord, JobState, ResultVersion } from './job-record';

/** Which state may follow which (anything may become `deleted` or `expired`). */
const NEXT_STATES: Record<JobState, readonly JobState[]> = {
  created: ['uploaded', 'failed'],
  // uploaded -> running: the message was sent but the record was not yet marked queued (crash in between).
  uploaded: ['queued', 'running', 'failed'],
  queued: ['running', 'failed'],
  // running -> queued: a worker handed the job back (SIGTERM) or its lease ran out.
  running: ['running', 'queued', 'succeeded', 'failed'],
  succeeded: [],
  failed: [],
  expired: [],
  deleted: [],
};

/** True when `to` may follow `from` in the lifecycle. */
export function canTransition(from: JobState, to: JobState): boolean {
  if (from === 'deleted') return false;
  if (to === 'deleted' || (to === 'expired' && from !== 'expired')) return true;
  return NEXT_STATES[from].includes(to);
}

function moveTo(record: JobRecord, state: JobState, now: Date, patch: Partial<JobRecord>): JobRecord {
  if (!canTransition(record.state, state)) {
    throw new RestainError('CONFLICT', `Job ${record.id} is ${record.state} and cannot become ${state}`);
  }
  return { ...record, ...patch, state, updatedAt: now.toISOString() };
}

export function markUploaded(record: JobRecord, input: NonNullable<JobRecord['input']>, now: Date): JobRecord {
  return moveTo(record, 'uploaded', now, { input, uploadedAt: now.toISOString(), uploadExpiresAt: undefined });
}

export function markQueued(record: JobRecord, now: Date): JobRecord {
  return moveTo(record, 'queued', now, { queuedAt: record.queuedAt ?? now.toISOString() });
}

/** A worker starts (or restarts, on redelivery) the job; `attempt` is the queue's receive count. */
export function markRunning(record: JobRecord, attempt: number, now: Date): JobRecord {
  const at = now.toISOString();
  return moveTo(record, 'running', now, { queuedAt: record.queuedAt ?? at, startedAt: at, attempts: attempt, progress: undefined });
}

export function markProgress(record: JobRecord, progress: JobProgress, now: Date): JobRecord {
  if (record.state !== 'running') throw new RestainError('CONFLICT', `Job ${record.id} is ${record.state}, not running: progress ignored`);
  return { ...record, progress, updatedAt: now.toISOString() };
}

/** Handed back to the queue (worker shutting down); it will run again. */
export function markRequeued(record: JobRecord, now: Date): JobRecord {
  return moveTo(record, 'queued', now, { progress: undefined });
}

export function markSucceeded(record: JobRecord, result: ResultVersion, retentionSeconds: number, now: Date): JobRecord {
  return moveTo(record, 'succeeded', now, {
    finishedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + retentionSeconds * 1000).toISOString(),
    results: [result],
    error: undefined,
  });
}

export function markFailed(record: JobRecord, error: JobError, retentionSeconds: number, now: Date): JobRecord {
  return moveTo(record, 'failed', now, {
    finishedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + retentionSeconds * 1000).toISOString(),
    error,
  });
}

/** A re-score published a new result version (the job stays succeeded). */
export function addResultVersion(record: JobRecord, result: ResultVersion, now: Date): JobRecord {
  if (record.state !== 'succeeded') throw new RestainError('CONFLICT', `Job ${record.id} is ${record.state}: only a succeeded job can be re-scored`);
  const expected = record.results.length + 1;
  if (result.version !== expected) throw new RestainError('CONFLICT', `Job ${record.id} expected result version ${expected} but received ${result.version}`);
  return { ...record, results: [...record.results, result], updatedAt: now.toISOString() };
}
