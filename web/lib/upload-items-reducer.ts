import type { Resolution } from './api-types';
import type { UploadCheck } from './upload-checks';

/** One image on the upload page, from choosing it to its job being queued. */
export interface UploadItem {
  readonly key: string;
  readonly name: string;
  readonly sizeBytes: number;
  readonly status: 'checking' | 'invalid' | 'ready' | 'uploading' | 'queued' | 'failed';
  /** Why it is invalid or failed. */
  readonly message: string | null;
  readonly format: string | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly resolution: Resolution;
  /** Upload progress 0..1. */
  readonly progress: number;
  readonly jobId: string | null;
}

export type UploadItemsAction =
  | { type: 'added'; items: ReadonlyArray<{ key: string; name: string; sizeBytes: number }> }
  | { type: 'checked'; key: string; check: UploadCheck }
  | { type: 'resolution'; key: string; resolution: Resolution }
  | { type: 'upload-started'; key: string }
  | { type: 'progress'; key: string; fraction: number }
  | { type: 'upload-succeeded'; key: string; jobId: string }
  | { type: 'upload-failed'; key: string; message: string }
  | { type: 'removed'; key: string };

function update(items: readonly UploadItem[], key: string, change: (item: UploadItem) => UploadItem): UploadItem[] {
  return items.map((item) => (item.key === key ? change(item) : item));
}

/** Transitions of the upload list; a start is only possible from ready or failed (a retry). */
export function uploadItemsReducer(items: readonly UploadItem[], action: UploadItemsAction): readonly UploadItem[] {
  switch (action.type) {
    case 'added':
      return [
        ...items,
        ...action.items.map((item): UploadItem => ({
          ...item,
          status: 'checking',
          message: null,
          format: null,
          width: null,
          height: null,
          resolution: 'auto',
          progress: 0,
          jobId: null,
        })),
      ];
    case 'checked':
      return update(items, action.key, (item) =>
        item.status !== 'checking'
          ? item
          : action.check.ok
            ? { ...item, status: 'ready', format: action.check.format, width: action.check.width, height: action.check.height }
            : { ...item, status: 'invalid', message: action.check.message },
      );
    case 'resolution':
      return update(items, action.key, (item) => (item.status === 'ready' || item.status === 'failed' ? { ...item, resolution: action.resolution } : item));
    case 'upload-started':
      return update(items, action.key, (item) => (item.status === 'ready' || item.status === 'failed' ? { ...item, status: 'uploading', progress: 0, message: null } : item));
    case 'progress':
      return update(items, action.key, (item) => (item.status === 'uploading' ? { ...item, progress: Math.max(item.progress, Math.min(1, action.fraction)) } : item));
    case 'upload-succeeded':
      return update(items, action.key, (item) => ({ ...item, status: 'queued', progress: 1, jobId: action.jobId }));
    case 'upload-failed':
      return update(items, action.key, (item) => ({ ...item, status: 'failed', message: action.message }));
    case 'removed':
      return items.filter((item) => item.key !== action.key);
  }
}

/** Items that Start all would send. */
export function startableItems(items: readonly UploadItem[]): UploadItem[] {
  return items.filter((item) => item.status === 'ready');
}
