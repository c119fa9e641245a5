import type { JobView } from './api-types';

/** A duration as people read it: "45 s", "3 min 05 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Time the job has taken so far (running), took (finished), or has waited (queued). */
export function jobElapsedMs(job: Pick<JobView, 'state' | 'createdAt' | 'startedAt' | 'finishedAt'>, nowMs: number): number {
  const start = Date.parse(job.createdAt);
  const end = job.finishedAt ? Date.parse(job.finishedAt) : nowMs;
  return Math.max(0, end - start);
}

/** Words for a job state in the dashboard. */
export const STATE_LABELS: Readonly<Record<JobView['state'], string>> = {
  created: 'Waiting for upload',
  uploaded: 'Uploaded',
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  expired: 'Expired',
  deleted: 'Deleted',
};

/** "12 / 40 tiles (30 %)" or null before the worker planned its tiles. */
export function formatProgress(progress: JobView['progress']): string | null {
  if (!progress || progress.tilesTotal <= 0) return null;
  const percent = Math.floor((100 * progress.tilesDone) / progress.tilesTotal);
  return `${progress.tilesDone} / ${progress.tilesTotal} tiles (${percent} %)`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
