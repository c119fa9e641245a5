import { ACTIVE_STATES, type JobView } from './api-types';

/** The dashboard's state: the jobs as last polled plus what the user is doing to them. */
export interface JobListState {
  readonly jobs: readonly JobView[];
  readonly loaded: boolean;
  /** The last poll's failure, shown above the list until a poll succeeds. */
  readonly error: string | null;
  /** The job whose delete awaits confirmation. */
  readonly confirming: string | null;
  readonly deleting: readonly string[];
  /** Deleted here: hidden even if a poll that started before the delete still lists them. */
  readonly deleted: readonly string[];
  /** Per-job failure of a delete. */
  readonly rowErrors: Readonly<Record<string, string>>;
}

export type JobListAction =
  | { type: 'loaded'; jobs: readonly JobView[] }
  | { type: 'positions'; positions: Readonly<Record<string, number | null>> }
  | { type: 'load-failed'; message: string }
  | { type: 'delete-asked'; id: string }
  | { type: 'delete-cancelled' }
  | { type: 'delete-started'; id: string }
  | { type: 'delete-succeeded'; id: string }
  | { type: 'delete-failed'; id: string; message: string };

export const INITIAL_JOB_LIST: JobListState = { jobs: [], loaded: false, error: null, confirming: null, deleting: [], deleted: [], rowErrors: {} };

const newestFirst = (a: JobView, b: JobView) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

function without(list: readonly string[], id: string): string[] {
  return list.filter((entry) => entry !== id);
}

/** Pure state transitions of the job list (one place for polling, deleting and their races). */
export function jobListReducer(state: JobListState, action: JobListAction): JobListState {
  switch (action.type) {
    case 'loaded': {
      const previous = new Map(state.jobs.map((job) => [job.id, job]));
      const jobs = action.jobs
        .filter((job) => !state.deleted.includes(job.id) && job.state !== 'deleted')
        .map((job) => {
          // Lists leave queue positions out; keep the last known one while the job is still queued.
          const before = previous.get(job.id);
          return job.state === 'queued' && job.queuePosition === null && before?.state === 'queued' ? { ...job, queuePosition: before.queuePosition } : job;
        })
        .sort(newestFirst);
      const confirming = jobs.some((job) => job.id === state.confirming) ? state.confirming : null;
      return { ...state, jobs, loaded: true, error: null, confirming };
    }
    case 'positions':
      return { ...state, jobs: state.jobs.map((job) => (job.id in action.positions && job.state === 'queued' ? { ...job, queuePosition: action.positions[job.id] } : job)) };
    case 'load-failed':
      return { ...state, error: action.message };
    case 'delete-asked':
      return { ...state, confirming: action.id };
    case 'delete-cancelled':
      return { ...state, confirming: null };
    case 'delete-started': {
      const rowErrors = { ...state.rowErrors };
      delete rowErrors[action.id];
      return { ...state, confirming: null, deleting: [...without(state.deleting, action.id), action.id], rowErrors };
    }
    case 'delete-succeeded':
      return {
        ...state,
        jobs: state.jobs.filter((job) => job.id !== action.id),
        deleting: without(state.deleting, action.id),
        deleted: [...without(state.deleted, action.id), action.id],
      };
    case 'delete-failed':
      return { ...state, deleting: without(state.deleting, action.id), rowErrors: { ...state.rowErrors, [action.id]: action.message } };
  }
}

/** True while some job can still change by itself (poll fast). */
export function hasActiveJobs(state: JobListState): boolean {
  return state.jobs.some((job) => ACTIVE_STATES.includes(job.state));
}

/** Queued jobs whose position should be asked for (lists do not carry it). */
export function queuedJobIds(jobs: readonly JobView[], max = 10): string[] {
  return jobs.filter((job) => job.state === 'queued').slice(0, max).map((job) => job.id);
}
