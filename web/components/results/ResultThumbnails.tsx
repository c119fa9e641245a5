'use client';
import type { ApiClient } from '../../lib/api-client';
import type { ResultView } from '../../lib/api-types';
import { AuthorizedImage } from './AuthorizedImage';

/** The images shown, in reading order, with what each one is. */
const IMAGES: ReadonlyArray<{ file: string; title: string; note: string }> = [
  { file: 'Input.png', title: 'Input', note: 'the uploaded IHC image' },
  { file: 'Hema.png', title: 'Hema', note: 'hematoxylin channel' },
  { file: 'DAPI.png', title: 'DAPI', note: 'virtual nuclear stain' },
  { file: 'Lap2.png', title: 'Lap2', note: 'virtual nuclear envelope' },
  { file: 'Marker.png', title: 'Marker', note: 'virtual protein marker' },
  { file: 'SegOverlaid.png', title: 'SegOverlaid', note: 'red positive, blue negative' },
];

/** Thumbnails of the input and the inferred channels; each opens full size. */
export function ResultThumbnails({ result, client, apiKey }: { result: ResultView; client: ApiClient; apiKey: string | undefined }) {
  return (
    <ul className="thumb-grid" aria-label="Result images">
      {IMAGES.map(({ file, title, note }) => {
        const entry = result.files.find((candidate) => candidate.name === file);
        return (
          <li key={file} data-testid={`thumb-${title}`}>
            <figure>
              {entry ? <AuthorizedImage url={entry.url} alt={`${title}: ${note}`} client={client} apiKey={apiKey} /> : <span className="thumb-placeholder">Not produced</span>}
              <figcaption>
                <strong>{title}</strong> <span className="muted small">{note}</span>
              </figcaption>
            </figure>
          </li>
        );
      })}
    </ul>
  );
}
