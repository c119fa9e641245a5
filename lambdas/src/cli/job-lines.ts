import { FINISHED_STATES } from '@restain/shared';
import type { JobView } from '../jobs/job-view';

/** True once a job changes no more (what --wait waits for). */
export function isFinished(job: Pick<JobView, 'state'>): boolean {
  return FINISHED_STATES.includes(job.state);
}

/** The scores of a succeeded job as `key=value` words (DeepLIIF's names). */
export function describeScores(job: Pick<JobView, 'scoring'>): string {
  const s = job.scoring;
  if (!s) return 'no scores';
  const words = [`num_total=${s.num_total}`, `num_pos=${s.num_pos}`, `num_neg=${s.num_neg}`, `percent_pos=${s.percent_pos}`];
  if (s.h_score !== null && s.h_score !== undefined) words.push(`h_score=${s.h_score}`);
  return words.join(' ');
}

/** What is going on with a job, in a few words: queue position, tiles done, scores or the reason it failed. */
export function describeJobState(job: JobView): string {
  switch (job.state) {
    case 'queued':
      return job.queuePosition ? `queued (position ${job.queuePosition})` : 'queued';
    case 'running':
      return job.progress ? `running (${job.progress.tilesDone}/${job.progress.tilesTotal} tiles)` : 'running';
    case 'succeeded':
      return `succeeded ${describeScores(job)}`;
    case 'failed':
      return job.error ? `failed ${job.error.code}: ${job.error.message}` : 'failed';
    case 'created':
      return job.uploadExpiresAt ? `created (waiting for its upload until ${job.uploadExpiresAt})` : 'created';
    default:
      return job.state;
  }
}

/** One line for a job: id, state with details, and the image's name (server text made printable). */
export function formatJobLine(job: JobView): string {
  return printable(`${job.id}  ${describeJobState(job)}${job.displayName ? `  ${job.displayName}` : ''}`);
}

/** A single-line, control-character-free rendering of text from the server (it reaches a terminal). */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}
