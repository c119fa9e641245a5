'use client';
import { useState } from 'react';
import { type ApiClient, describeError, sameOriginPath } from '../../lib/api-client';
import type { ResultView } from '../../lib/api-types';

interface Props {
  readonly result: ResultView;
  readonly client: ApiClient;
  readonly apiKey: string | undefined;
}

/** ZIP of everything, per-cell CSV and GeoJSON (QuPath). Links stream; with a key the file is fetched first. */
export function DownloadLinks({ result, client, apiKey }: Props) {
  const [error, setError] = useState<string | null>(null);
  const fileUrl = (name: string) => result.files.find((file) => file.name === name)?.url;
  const downloads = [
    { label: 'All files (ZIP)', url: result.zipUrl, fileName: `restain-${result.jobId}-v${result.version}.zip` },
    { label: 'Cells (CSV)', url: fileUrl('cells.csv'), fileName: 'cells.csv' },
    { label: 'Cells (GeoJSON, for QuPath)', url: fileUrl('cells.geojson'), fileName: 'cells.geojson' },
  ].filter((entry): entry is { label: string; url: string; fileName: string } => entry.url !== undefined);

  const fetchAndSave = async (url: string, fileName: string) => {
    setError(null);
    try {
      const blob = await client.fetchBlob(url);
      const objectUrl = URL.createObjectURL(blob);
      const anchor = document.createElement('a');
      anchor.href = objectUrl;
      anchor.download = fileName;
      anchor.click();
      setTimeout(() => URL.revokeObjectURL(objectUrl), 60_000);
    } catch (caught) {
      setError(describeError(caught));
    }
  };

  return (
    <div>
      <ul className="download-list">
        {downloads.map(({ label, url, fileName }) => (
          <li key={label}>
            {apiKey ? (
              <button type="button" className="button-secondary" onClick={() => void fetchAndSave(url, fileName)}>
                Download {label}
              </button>
            ) : (
              <a className="button-secondary" href={sameOriginPath(url)} download={fileName}>
                Download {label}
              </a>
            )}
          </li>
        ))}
      </ul>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
    </div>
  );
}
