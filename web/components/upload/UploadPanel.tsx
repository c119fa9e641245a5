'use client';
import { type DragEvent, useCallback, useEffect, useId, useReducer, useRef, useState } from 'react';
import { describeError } from '../../lib/api-client';
import type { PlatformConfig, Resolution } from '../../lib/api-types';
import { formatBytes } from '../../lib/format';
import { useApiClient } from '../../lib/use-api-client';
import { HEADER_BYTES, checkUpload } from '../../lib/upload-checks';
import { startableItems, uploadItemsReducer } from '../../lib/upload-items-reducer';
import { uploadImage } from '../../lib/upload-request';
import { SampleImages } from './SampleImages';
import { UploadItemCard } from './UploadItemCard';

const ACCEPT = 'image/png,image/jpeg,image/tiff,image/webp,.png,.jpg,.jpeg,.tif,.tiff,.webp';
/** Formats Chromium, Firefox and Safari can show as a thumbnail. */
const PREVIEWABLE = new Set(['png', 'jpeg', 'webp']);

/** Drop zone, file dialog and samples; each image is checked here, then started on its own. */
export function UploadPanel() {
  const { client, apiKey, ready } = useApiClient();
  const [config, setConfig] = useState<PlatformConfig | null>(null);
  const [configError, setConfigError] = useState<string | null>(null);
  const [items, dispatch] = useReducer(uploadItemsReducer, []);
  const [dragging, setDragging] = useState(false);
  const files = useRef(new Map<string, File>());
  const previews = useRef(new Map<string, string>());
  const counter = useRef(0);
  const inputId = useId();

  useEffect(() => {
    if (!ready) return;
    const controller = new AbortController();
    client.config(controller.signal).then(
      (loaded) => (setConfig(loaded), setConfigError(null)),
      (error) => controller.signal.aborted || setConfigError(describeError(error)),
    );
    return () => controller.abort();
  }, [client, ready]);

  useEffect(() => {
    const urls = previews.current;
    return () => urls.forEach((url) => URL.revokeObjectURL(url));
  }, []);

  const addFiles = useCallback(
    (chosen: readonly File[]) => {
      if (!config || chosen.length === 0) return;
      const added = chosen.map((file) => ({ key: `f${++counter.current}`, file }));
      for (const { key, file } of added) files.current.set(key, file);
      dispatch({ type: 'added', items: added.map(({ key, file }) => ({ key, name: file.name, sizeBytes: file.size })) });
      for (const { key, file } of added) {
        void file
          .slice(0, HEADER_BYTES)
          .arrayBuffer()
          .then((head) => {
            const check = checkUpload(file, new Uint8Array(head), config);
            if (check.ok && PREVIEWABLE.has(check.format)) previews.current.set(key, URL.createObjectURL(file));
            dispatch({ type: 'checked', key, check });
          })
          .catch((error) => dispatch({ type: 'checked', key, check: { ok: false, message: `${file.name} could not be read: ${describeError(error)}` } }));
      }
    },
    [config],
  );

  const start = (key: string) => {
    const file = files.current.get(key);
    const item = items.find((entry) => entry.key === key);
    if (!file || !item) return;
    dispatch({ type: 'upload-started', key });
    uploadImage({ file, resolution: item.resolution, apiKey, onProgress: (fraction) => dispatch({ type: 'progress', key, fraction }) }).then(
      (job) => dispatch({ type: 'upload-succeeded', key, jobId: job.id }),
      (error) => dispatch({ type: 'upload-failed', key, message: describeError(error) }),
    );
  };

  const remove = (key: string) => {
    const url = previews.current.get(key);
    if (url) URL.revokeObjectURL(url);
    previews.current.delete(key);
    files.current.delete(key);
    dispatch({ type: 'removed', key });
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    addFiles([...event.dataTransfer.files]);
  };
  const startable = startableItems(items);

  return (
    <>
      {configError ? (
        <p className="error-text" role="alert">
          Could not load the server settings: {configError}
        </p>
      ) : null}
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => (event.preventDefault(), setDragging(true))}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p className="drop-title">Drop IHC images here</p>
        <p className="muted">PNG, JPEG, TIFF or WebP{config ? `, up to ${formatBytes(config.maxUploadBytes)} and ${Math.round(config.jobMaxPixels / 1e6)} megapixels each` : ''}. Several at once are fine.</p>
        <input
          id={inputId}
          className="file-input"
          type="file"
          multiple
          accept={ACCEPT}
          disabled={!config}
          onChange={(event) => {
            addFiles([...(event.target.files ?? [])]);
            event.target.value = '';
          }}
        />
        <label htmlFor={inputId} className="button-primary file-label">
          Choose images…
        </label>
      </div>
      <SampleImages onFile={(file) => addFiles([file])} disabled={!config} />
      {items.length > 0 ? (
        <section aria-labelledby="chosen-heading">
          <div className="row spread">
            <h2 id="chosen-heading">Images to analyse</h2>
            {startable.length > 1 ? (
              <button type="button" className="button-primary" onClick={() => startable.forEach((item) => start(item.key))}>
                Start all ({startable.length})
              </button>
            ) : null}
          </div>
          <ul className="upload-list">
            {items.map((item) => (
              <UploadItemCard
                key={item.key}
                item={item}
                previewUrl={previews.current.get(item.key) ?? null}
                onResolution={(resolution: Resolution) => dispatch({ type: 'resolution', key: item.key, resolution })}
                onStart={() => start(item.key)}
                onRemove={() => remove(item.key)}
              />
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
