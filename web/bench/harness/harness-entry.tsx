/** The benchmark's page: the result viewer alone for ?job=<id>, as the result page embeds it. */
import { createRoot } from 'react-dom/client';
import { useEffect, useState } from 'react';
import type { ResultView } from '../../lib/api-types';
import { ResultViewer } from '../../components/viewer/ResultViewer';

function Harness() {
  const jobId = new URLSearchParams(window.location.search).get('job') ?? '';
  const [result, setResult] = useState<ResultView | null>(null);
  const [applied, setApplied] = useState<number | null>(null);
  useEffect(() => {
    void fetch(`/api/jobs/${jobId}/results`).then(async (response) => setResult((await response.json()) as ResultView));
  }, [jobId, applied]);
  return result ? (
    <main className="page">
      <p data-testid="harness-version">Version {result.version}</p>
      <ResultViewer key={result.version} jobId={jobId} result={result} onApplied={setApplied} />
    </main>
  ) : <p>Loading…</p>;
}

createRoot(document.getElementById('root') as HTMLElement).render(<Harness />);
