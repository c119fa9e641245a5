'use client';
import { useState } from 'react';
import { SAMPLE_IMAGES, type SampleImage, renderSampleFile } from '../../lib/sample-images';

/** Buttons that generate the project's synthetic IHC samples in the browser and add them to the list. */
export function SampleImages({ onFile, disabled }: { onFile: (file: File) => void; disabled: boolean }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const add = async (sample: SampleImage) => {
    setBusy(sample.id);
    setError(null);
    // Let the "Generating…" state paint before the generator takes the main thread.
    await new Promise((resolve) => setTimeout(resolve, 30));
    try {
      onFile(await renderSampleFile(sample));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="samples-heading" className="samples">
      <h2 id="samples-heading">No image at hand? Try a sample</h2>
      <p className="muted">Synthetic Ki67-style images with known cells, generated in your browser.</p>
      <ul className="sample-list">
        {SAMPLE_IMAGES.map((sample) => (
          <li key={sample.id}>
            <button type="button" className="button-secondary" disabled={disabled || busy !== null} onClick={() => void add(sample)}>
              {busy === sample.id ? 'Generating…' : `Add sample: ${sample.label}`}
            </button>
            <span className="muted small">{sample.description}</span>
          </li>
        ))}
      </ul>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
    </section>
  );
}
