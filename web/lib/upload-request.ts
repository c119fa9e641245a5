import { ApiError, authHeaders, errorFromResponse } from './api-client';
import type { JobView, Resolution } from './api-types';

export interface UploadImageOptions {
  readonly file: File;
  readonly resolution: Resolution;
  readonly apiKey?: string;
  /** Fraction of the body sent, 0..1 (XMLHttpRequest upload events; fetch has none). */
  readonly onProgress?: (fraction: number) => void;
  readonly signal?: AbortSignal;
}

/** POST /api/jobs as multipart with the image: resolves with the created (queued) job. */
export function uploadImage(options: UploadImageOptions): Promise<JobView> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/jobs');
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(authHeaders(options.apiKey))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(errorFromResponse(xhr.status, xhr.statusText, xhr.responseText));
      try {
        resolve((JSON.parse(xhr.responseText) as { job: JobView }).job);
      } catch {
        reject(new ApiError('BAD_RESPONSE', 'The server accepted the upload but its answer was unreadable', xhr.status));
      }
    };
    xhr.onerror = () => reject(new ApiError('NETWORK', 'The upload was interrupted; check your connection and try again', 0));
    xhr.onabort = () => reject(new ApiError('ABORTED', 'Upload cancelled', 0));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    // Fields before the file: the server reads the parameters without buffering the image first.
    form.append('resolution', options.resolution);
    form.append('file', options.file, options.file.name);
    xhr.send(form);
  });
}
