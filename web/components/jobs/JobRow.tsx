'use client';
import Link from 'next/link';
import type { JobView } from '../../lib/api-types';
import { STATE_LABELS, formatDuration, formatProgress, jobElapsedMs } from '../../lib/format';

interface Props {
  readonly job: JobView;
  readonly nowMs: number;
  readonly confirming: boolean;
  readonly deleting: boolean;
  readonly error: string | undefined;
  readonly onAskDelete: () => void;
  readonly onCancelDelete: () => void;
  readonly onConfirmDelete: () => void;
}

/** One job in the dashboard: state, progress, queue position, elapsed time, failure, actions. */
export function JobRow({ job, nowMs, confirming, deleting, error, onAskDelete, onCancelDelete, onConfirmDelete }: Props) {
  const name = job.displayName ?? job.id.slice(0, 8);
  const progress = formatProgress(job.progress);
  return (
    <tr data-testid="job-row" data-job-id={job.id} data-state={job.state}>
      <th scope="row" data-label="Image">
        <span className="file-name">{name}</span>
        <span className="muted small block">{new Date(job.createdAt).toLocaleString()}</span>
      </th>
      <td data-label="State">
        <span className={`state-badge state-${job.state}`} data-testid="job-state">
          {STATE_LABELS[job.state]}
        </span>
        {job.state === 'failed' && job.error ? <span className="error-text small block">{job.error.message}</span> : null}
      </td>
      <td data-label="Progress">
        {job.state === 'running' && job.progress && job.progress.tilesTotal > 0 ? (
          <>
            <progress max={job.progress.tilesTotal} value={job.progress.tilesDone} aria-label={`Progress of ${name}`} />
            <span className="small block">{progress}</span>
          </>
        ) : job.state === 'succeeded' && job.scoring ? (
          <span className="small">
            {job.scoring.num_total} cells, {job.scoring.percent_pos} % positive
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Queue">{job.state === 'queued' && job.queuePosition !== null ? `#${job.queuePosition}` : <span className="muted">—</span>}</td>
      <td data-label="Elapsed">{formatDuration(jobElapsedMs(job, nowMs))}</td>
      <td data-label="Actions">
        <div className="actions">
        {job.state === 'succeeded' ? (
          <Link className="button-secondary" href={`/results/?id=${encodeURIComponent(job.id)}`} aria-label={`Open result of ${name}`}>
            Open result
          </Link>
        ) : null}
        {confirming ? (
          <span className="confirm" role="group" aria-label={`Confirm deleting ${name}`}>
            <span className="small">Delete job and results?</span>
            <button type="button" className="button-danger" onClick={onConfirmDelete} autoFocus>
              Delete
            </button>
            <button type="button" className="button-quiet" onClick={onCancelDelete}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="button-quiet" onClick={onAskDelete} disabled={deleting} aria-label={`Delete ${name}`}>
            {deleting ? 'Deleting…' : 'Delete'}
          </button>
        )}
        {error ? <span className="error-text small block" role="alert">{error}</span> : null}
        </div>
      </td>
    </tr>
  );
}
