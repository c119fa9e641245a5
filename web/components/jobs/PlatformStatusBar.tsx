import type { PlatformStatus } from '../../lib/api-types';

/** One line on the platform's load: jobs waiting and running, and the workers taking them. */
export function PlatformStatusBar({ status }: { status: PlatformStatus | null }) {
  if (!status) return null;
  const { queue, jobs, workers } = status;
  const waiting = queue.visible + queue.delayed;
  return (
    <p className="muted" role="status" aria-label="Platform status" data-testid="platform-status">
      Platform: <span data-testid="status-waiting">{waiting}</span> waiting,{' '}
      <span data-testid="status-running">{jobs.running}{jobs.runningCapped ? '+' : ''}</span> running;{' '}
      {workers ? (
        <>
          <span data-testid="status-workers">{workers.runningWorkers}</span> of {workers.desiredWorkers} worker
          {workers.desiredWorkers === 1 ? '' : 's'} up{workers.pendingWorkers > 0 ? `, ${workers.pendingWorkers} starting` : ''}
        </>
      ) : (
        'workers unknown'
      )}
      .
    </p>
  );
}
