'use client';
import { TermsGate } from '../components/TermsGate';
import { UploadPanel } from '../components/upload/UploadPanel';

/** Home: upload images (after the terms are accepted). */
export default function UploadPage() {
  return (
    <>
      <h1>Score IHC images</h1>
      <p className="lead">
        Upload brightfield IHC images (Ki67 and similar nuclear markers). Restain restains them virtually, segments the cells and scores brown (DAB) nuclei as
        positive and blue (hematoxylin) nuclei as negative.
      </p>
      <TermsGate>
        <UploadPanel />
      </TermsGate>
    </>
  );
}
