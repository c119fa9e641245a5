'use client';
import Link from 'next/link';
import { useId } from 'react';
import { RESOLUTIONS, type Resolution } from '../../lib/api-types';
import { formatBytes } from '../../lib/format';
import type { UploadItem } from '../../lib/upload-items-reducer';

interface Props {
  readonly item: UploadItem;
  /** Object URL of the file for browsers that can show it (not TIFF). */
  readonly previewUrl: string | null;
  readonly onResolution: (resolution: Resolution) => void;
  readonly onStart: () => void;
  readonly onRemove: () => void;
}

const RESOLUTION_LABELS: Record<Resolution, string> = { auto: 'Auto (estimate)', '10x': '10x', '20x': '20x', '40x': '40x' };

/** One chosen image: thumbnail, checks, resolution choice, Start, upload progress and outcome. */
export function UploadItemCard({ item, previewUrl, onResolution, onStart, onRemove }: Props) {
  const selectId = useId();
  const editable = item.status === 'ready' || item.status === 'failed';
  return (
    <li className={`card upload-item status-${item.status}`} data-testid="upload-item" aria-label={item.name}>
      <div className="thumb">
        {previewUrl && item.status !== 'invalid' ? <img src={previewUrl} alt={`Preview of ${item.name}`} /> : <span className="thumb-placeholder">{item.format?.toUpperCase() ?? 'No preview'}</span>}
      </div>
      <div className="upload-body">
        <p className="file-name">{item.name}</p>
        <p className="muted">
          {formatBytes(item.sizeBytes)}
          {item.width !== null && item.height !== null ? ` · ${item.width} × ${item.height} px` : ''}
          {item.format ? ` · ${item.format.toUpperCase()}` : ''}
        </p>
        {item.status === 'checking' ? <p className="muted">Checking…</p> : null}
        {item.status === 'invalid' || item.status === 'failed' ? (
          <p className="error-text" role="alert">
            {item.message}
          </p>
        ) : null}
        {editable ? (
          <div className="row">
            <label htmlFor={selectId}>Resolution</label>
            <select id={selectId} value={item.resolution} onChange={(e) => onResolution(e.target.value as Resolution)}>
              {RESOLUTIONS.map((resolution) => (
                <option key={resolution} value={resolution}>
                  {RESOLUTION_LABELS[resolution]}
                </option>
              ))}
            </select>
            <button type="button" className="button-primary" onClick={onStart} aria-label={`Start analysis of ${item.name}`}>
              {item.status === 'failed' ? 'Retry' : 'Start'}
            </button>
          </div>
        ) : null}
        {item.status === 'uploading' ? (
          <div className="progress-row">
            <progress max={1} value={item.progress} aria-label={`Uploading ${item.name}`} />
            <span>{Math.round(item.progress * 100)} %</span>
          </div>
        ) : null}
        {item.status === 'queued' && item.jobId ? (
          <p role="status" className="ok-text">
            Uploaded and queued. <Link href="/jobs/">Follow it on the Jobs page</Link> or <Link href={`/results/?id=${encodeURIComponent(item.jobId)}`}>open its result page</Link>.
          </p>
        ) : null}
      </div>
      {item.status !== 'uploading' ? (
        <button type="button" className="button-quiet remove" onClick={onRemove} aria-label={`Remove ${item.name} from the list`}>
          Remove
        </button>
      ) : null}
    </li>
  );
}
