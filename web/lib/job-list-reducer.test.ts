import type { JobView } from './api-types';
import { INITIAL_JOB_LIST, hasActiveJobs, jobListReducer, queuedJobIds } from './job-list-reducer';

function job(id: string, state: JobView['state'], createdAt: string, extra: Partial<JobView> = {}): JobView {
  return {
    id, state, createdAt, source: 'jobs-api', displayName: `${id}.png`, parameters: {}, updatedAt: createdAt, uploadedAt: null, queuedAt: null,
    startedAt: null, finishedAt: null, expiresAt: null, uploadExpiresAt: null, input: null, progress: null, queuePosition: null, attempts: 0,
    error: null, resultVersion: null, scoring: null, feedback: [], links: { self: `/api/jobs/${id}` }, ...extra,
  };
}

describe('jobListReducer', () => {
  test('a poll sorts newest first and marks the list loaded, clearing an earlier error', () => {
    const failed = jobListReducer(INITIAL_JOB_LIST, { type: 'load-failed', message: 'offline' });
    const state = jobListReducer(failed, { type: 'loaded', jobs: [job('a', 'succeeded', '2025-01-01T10:00:00Z'), job('b', 'queued', '2025-01-01T11:00:00Z')] });
    expect(state.jobs.map((j) => j.id)).toEqual(['b', 'a']);
    expect(state.loaded).toBe(true);
    expect(state.error).toBeNull();
    expect(hasActiveJobs(state)).toBe(true);
    expect(queuedJobIds(state.jobs)).toEqual(['b']);
  });

  test('keeps a queued job position across polls (lists leave it out) and drops it once running', () => {
    let state = jobListReducer(INITIAL_JOB_LIST, { type: 'loaded', jobs: [job('q', 'queued', '2025-01-01T10:00:00Z')] });
    state = jobListReducer(state, { type: 'positions', positions: { q: 3 } });
    state = jobListReducer(state, { type: 'loaded', jobs: [job('q', 'queued', '2025-01-01T10:00:00Z')] });
    expect(state.jobs[0].queuePosition).toBe(3);
    state = jobListReducer(state, { type: 'loaded', jobs: [job('q', 'running', '2025-01-01T10:00:00Z')] });
    expect(state.jobs[0].queuePosition).toBeNull();
    expect(jobListReducer(state, { type: 'positions', positions: { q: 1 } }).jobs[0].queuePosition).toBeNull();
  });

  test('delete asks first; cancel forgets; success removes the row and hides it from late polls', () => {
    const listed = [job('a', 'succeeded', '2025-01-01T10:00:00Z'), job('b', 'failed', '2025-01-01T09:00:00Z')];
    let state = jobListReducer(INITIAL_JOB_LIST, { type: 'loaded', jobs: listed });
    state = jobListReducer(state, { type: 'delete-asked', id: 'a' });
    expect(state.confirming).toBe('a');
    expect(jobListReducer(state, { type: 'delete-cancelled' }).confirming).toBeNull();
    state = jobListReducer(state, { type: 'delete-started', id: 'a' });
    expect(state).toMatchObject({ confirming: null, deleting: ['a'] });
    state = jobListReducer(state, { type: 'delete-succeeded', id: 'a' });
    expect(state.jobs.map((j) => j.id)).toEqual(['b']);
    // A poll that began before the delete finished still lists the job: it stays gone.
    state = jobListReducer(state, { type: 'loaded', jobs: listed });
    expect(state.jobs.map((j) => j.id)).toEqual(['b']);
    expect(hasActiveJobs(state)).toBe(false);
  });

  test('a failed delete keeps the row with its error until the next attempt', () => {
    let state = jobListReducer(INITIAL_JOB_LIST, { type: 'loaded', jobs: [job('a', 'succeeded', '2025-01-01T10:00:00Z')] });
    state = jobListReducer(state, { type: 'delete-started', id: 'a' });
    state = jobListReducer(state, { type: 'delete-failed', id: 'a', message: 'Server unavailable' });
    expect(state.jobs).toHaveLength(1);
    expect(state.deleting).toEqual([]);
    expect(state.rowErrors).toEqual({ a: 'Server unavailable' });
    expect(jobListReducer(state, { type: 'delete-started', id: 'a' }).rowErrors).toEqual({});
  });

  test('a confirmation for a job that disappeared (deleted elsewhere) is dropped', () => {
    let state = jobListReducer(INITIAL_JOB_LIST, { type: 'loaded', jobs: [job('a', 'succeeded', '2025-01-01T10:00:00Z')] });
    state = jobListReducer(state, { type: 'delete-asked', id: 'a' });
    state = jobListReducer(state, { type: 'loaded', jobs: [] });
    expect(state.confirming).toBeNull();
  });
});
