'use client';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { ApiError, describeError } from '../../lib/api-client';
import { ACTIVE_STATES, type JobView, type ResultView } from '../../lib/api-types';
import { STATE_LABELS, formatProgress } from '../../lib/format';
import { useApiClient } from '../../lib/use-api-client';
import { ResultViewer } from '../viewer/ResultViewer';
import { DownloadLinks } from './DownloadLinks';
import { FeedbackBox } from './FeedbackBox';
import { ParametersTable } from './ParametersTable';
import { ResultThumbnails } from './ResultThumbnails';
import { ScoreSummary } from './ScoreSummary';
import { VersionPicker } from './VersionPicker';

const JOB_POLL_MS = 2000;

/** One job's result (`/results/?id=...&version=n`): scores, images, parameters, downloads, viewer, feedback. */
export function ResultPage() {
  const params = useSearchParams();
  const router = useRouter();
  const id = params.get('id') ?? '';
  const versionParam = params.get('version');
  const version = versionParam !== null && /^\d+$/.test(versionParam) ? Number(versionParam) : undefined;
  const { client, apiKey, ready } = useApiClient();
  const [job, setJob] = useState<JobView | null>(null);
  const [result, setResult] = useState<ResultView | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The job: polled until it finishes, so the page also works when opened straight after upload.
  useEffect(() => {
    if (!ready || !id) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const loaded = await client.getJob(id, controller.signal);
        setJob(loaded);
        setError(null);
        if (ACTIVE_STATES.includes(loaded.state)) timer = setTimeout(load, JOB_POLL_MS);
      } catch (caught) {
        if (controller.signal.aborted) return;
        setError(caught instanceof ApiError && caught.status === 404 ? 'There is no job with this id for you (it may have been deleted or expired).' : describeError(caught));
      }
    };
    void load();
    return () => (controller.abort(), clearTimeout(timer));
  }, [client, ready, id]);

  const succeeded = job?.state === 'succeeded';
  useEffect(() => {
    if (!succeeded) return;
    const controller = new AbortController();
    client.getResults(id, version, controller.signal).then(
      (loaded) => (setResult(loaded), setError(null)),
      (caught) => controller.signal.aborted || setError(describeError(caught)),
    );
    return () => controller.abort();
  }, [client, id, version, succeeded]);

  const showVersion = (next: number) => router.replace(`/results/?id=${encodeURIComponent(id)}&version=${next}`, { scroll: false });

  if (!id) return <p>No job chosen. Open a result from the <Link href="/jobs/">Jobs</Link> page.</p>;
  const name = job?.displayName ?? id;
  return (
    <>
      <h1>
        Result <span className="file-name">{name}</span>
      </h1>
      {error ? <p className="error-text" role="alert">{error}</p> : null}
      {job && job.state !== 'succeeded' ? (
        <section className="card" aria-live="polite">
          <p>
            State: <strong>{STATE_LABELS[job.state]}</strong>
            {job.state === 'running' && formatProgress(job.progress) ? `, ${formatProgress(job.progress)}` : ''}
            {job.state === 'queued' && job.queuePosition ? `, number ${job.queuePosition} in the queue` : ''}.
          </p>
          {job.state === 'failed' && job.error ? <p className="error-text">{job.error.message}</p> : null}
          {ACTIVE_STATES.includes(job.state) ? <p className="muted">The results appear here when the analysis finishes.</p> : null}
        </section>
      ) : null}
      {!job && !error ? <p className="muted">Loading…</p> : null}
      {result && job ? (
        <>
          <section className="card" aria-labelledby="scores-heading">
            <div className="row spread">
              <h2 id="scores-heading">Scores</h2>
              <VersionPicker versions={result.versions} current={result.version} onChange={showVersion} />
            </div>
            <ScoreSummary scoring={result.scoring} />
          </section>
          <section className="card" aria-labelledby="images-heading">
            <h2 id="images-heading">Images</h2>
            <ResultThumbnails result={result} client={client} apiKey={apiKey} />
          </section>
          <section className="card" aria-labelledby="viewer-heading">
            <h2 id="viewer-heading">Adjust and explore</h2>
            <ResultViewer key={`${result.jobId}-${result.version}`} jobId={id} result={result} apiKey={apiKey} onApplied={showVersion} />
          </section>
          <div className="two-columns">
            <section className="card" aria-labelledby="params-heading">
              <h2 id="params-heading">Parameters used</h2>
              <ParametersTable result={result} />
            </section>
            <section className="card" aria-labelledby="downloads-heading">
              <h2 id="downloads-heading">Downloads</h2>
              <DownloadLinks result={result} client={client} apiKey={apiKey} />
            </section>
          </div>
          <section className="card" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">Feedback</h2>
            <FeedbackBox jobId={id} client={client} initial={job.feedback} />
          </section>
        </>
      ) : null}
    </>
  );
}
