'use client';
import Link from 'next/link';
import { useEffect, useReducer, useRef, useState } from 'react';
import { describeError } from '../../lib/api-client';
import { ACTIVE_STATES, type PlatformStatus } from '../../lib/api-types';
import { INITIAL_JOB_LIST, hasActiveJobs, jobListReducer, queuedJobIds } from '../../lib/job-list-reducer';
import { type Poller, startPoller } from '../../lib/polling-scheduler';
import { useApiClient } from '../../lib/use-api-client';
import { JobRow } from './JobRow';
import { PlatformStatusBar } from './PlatformStatusBar';

/** The user's jobs, newest first, kept live by adaptive polling (paused while the tab is hidden). */
export function JobDashboard() {
  const { client, ready } = useApiClient();
  const [state, dispatch] = useReducer(jobListReducer, INITIAL_JOB_LIST);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [status, setStatus] = useState<PlatformStatus | null>(null);
  const poller = useRef<Poller | null>(null);
  const active = hasActiveJobs(state);

  useEffect(() => {
    if (!ready) return;
    const handle = startPoller({
      poll: async () => {
        try {
          const [jobs, platform] = await Promise.all([client.listJobs(), client.getStatus().catch(() => null)]);
          dispatch({ type: 'loaded', jobs });
          // The platform line is informative only: a deployment that hides it leaves the list working.
          setStatus(platform);
          const queued = queuedJobIds(jobs);
          if (queued.length > 0) {
            // Lists leave queue positions out (a query per job); ask for the first few queued jobs.
            const details = await Promise.all(queued.map((id) => client.getJob(id).catch(() => null)));
            const positions: Record<string, number | null> = {};
            for (const job of details) if (job) positions[job.id] = job.queuePosition;
            dispatch({ type: 'positions', positions });
          }
          return { active: jobs.some((job) => ACTIVE_STATES.includes(job.state)) };
        } catch (error) {
          dispatch({ type: 'load-failed', message: describeError(error) });
          throw error;
        }
      },
      isHidden: () => document.visibilityState === 'hidden',
      onVisibilityChange: (listener) => {
        document.addEventListener('visibilitychange', listener);
        return () => document.removeEventListener('visibilitychange', listener);
      },
    });
    poller.current = handle;
    return () => handle.stop();
  }, [client, ready]);

  // Elapsed times tick between polls only while something runs.
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNowMs(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);

  const remove = async (id: string) => {
    dispatch({ type: 'delete-started', id });
    try {
      await client.deleteJob(id);
      dispatch({ type: 'delete-succeeded', id });
      poller.current?.refresh();
    } catch (error) {
      dispatch({ type: 'delete-failed', id, message: describeError(error) });
    }
  };

  return (
    <>
      <PlatformStatusBar status={status} />
      {state.error ? (
        <p className="error-text" role="alert">
          Could not refresh the list: {state.error} (retrying).
        </p>
      ) : null}
      {!state.loaded ? <p className="muted">Loading jobs…</p> : null}
      {state.loaded && state.jobs.length === 0 ? (
        <p>
          No jobs yet. <Link href="/">Upload an image</Link> to start one.
        </p>
      ) : null}
      {state.jobs.length > 0 ? (
        <table className="job-table">
          <caption className="visually-hidden">Your jobs, newest first{active ? '; updating live' : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Image</th>
              <th scope="col">State</th>
              <th scope="col">Progress</th>
              <th scope="col">Queue</th>
              <th scope="col">Elapsed</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {state.jobs.map((job) => (
              <JobRow
                key={job.id}
                job={job}
                nowMs={nowMs}
                confirming={state.confirming === job.id}
                deleting={state.deleting.includes(job.id)}
                error={state.rowErrors[job.id]}
                onAskDelete={() => dispatch({ type: 'delete-asked', id: job.id })}
                onCancelDelete={() => dispatch({ type: 'delete-cancelled' })}
                onConfirmDelete={() => void remove(job.id)}
              />
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
