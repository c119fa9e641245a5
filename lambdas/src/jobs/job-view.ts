import type { JobRecord, JobView } from '@restain/shared';
import { currentResult } from '@restain/shared';
import type { AppContext } from '../api/app-context';
import { describeJobParameters } from '../api/job-parameters';

export type { JobView };

/** Base URL without a trailing slash. */
export function apiBase(context: AppContext): string {
  return context.config.publicBaseUrl.replace(/\/+$/, '');
}

export function jobUrl(context: AppContext, jobId: string): string {
  return `${apiBase(context)}/api/jobs/${jobId}`;
}

/** The public view of a record; `queuePosition` is computed by the caller (it costs a query). */
export function jobView(context: AppContext, record: JobRecord, queuePosition: number | null = null): JobView {
  const current = currentResult(record);
  const self = jobUrl(context, record.id);
  const input = record.input;
  return {
    id: record.id,
    state: record.state,
    source: record.source,
    displayName: input?.displayName ?? record.displayName ?? null,
    parameters: describeJobParameters(record.options),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    uploadedAt: record.uploadedAt ?? null,
    queuedAt: record.queuedAt ?? null,
    startedAt: record.startedAt ?? null,
    finishedAt: record.finishedAt ?? null,
    expiresAt: record.expiresAt ?? null,
    uploadExpiresAt: record.state === 'created' ? (record.uploadExpiresAt ?? null) : null,
    input: input ? { format: input.format, width: input.width, height: input.height, sizeBytes: input.sizeBytes, sha256: input.sha256 } : null,
    progress: record.progress ? { tilesDone: record.progress.tilesDone, tilesTotal: record.progress.tilesTotal } : null,
    queuePosition,
    attempts: record.attempts,
    error: record.error ? { code: record.error.code, message: record.error.message } : null,
    resultVersion: current?.version ?? null,
    scoring: current?.scoring ?? null,
    feedback: (record.feedback ?? []).map((entry) => ({ text: entry.text, createdAt: entry.createdAt })),
    links: record.state === 'succeeded' ? { self, results: `${self}/results`, zip: `${self}/results.zip` } : { self },
  };
}

/** The view with the queue position filled in when the job is waiting in the queue. */
export async function describeJob(context: AppContext, record: JobRecord): Promise<JobView> {
  const position = record.state === 'queued' && record.queuedAt ? (await context.jobs.countQueuedBefore(record.queuedAt)) + 1 : null;
  return jobView(context, record, position);
}
