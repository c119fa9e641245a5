import type { JobState } from '../../src/jobs/job-record';
import { JOB_STATES, currentResult } from '../../src/jobs/job-record';
import {
  addResultVersion, canTransition, markFailed, markProgress, markQueued, markRequeued, markRunning, markSucceeded, markUploaded,
} from '../../src/jobs/job-transitions';
import type { ResultVersion } from '../../src/jobs/job-record';
import { DEFAULT_POSTPROCESS_OPTIONS } from '../../src/postprocess/postprocess-options';
import { expectRestainError } from '../ports/expect-restain-error';
import { makeJobRecord } from './make-job-record';

const INPUT = { key: 'inputs/j/input.png', displayName: 'a.png', format: 'png', width: 4, height: 4, sizeBytes: 9, sha256: 'ff' };
const T = (s: number): Date => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
const SCORING = { num_total: 2, num_pos: 1, num_neg: 1, percent_pos: 50 } as unknown as ResultVersion['scoring'];
const result = (version: number): ResultVersion => ({
  version, prefix: `results/j/v${version}/`, createdAt: T(9).toISOString(), postprocess: DEFAULT_POSTPROCESS_OPTIONS, scoring: SCORING, files: ['manifest.json'],
});

describe('job transitions', () => {
  test('the happy path stamps each time and ends succeeded with an expiry', () => {
    const created = makeJobRecord({ uploadExpiresAt: T(100).toISOString() });
    const uploaded = markUploaded(created, INPUT, T(1));
    expect(uploaded).toMatchObject({ state: 'uploaded', uploadedAt: T(1).toISOString(), input: INPUT, updatedAt: T(1).toISOString() });
    expect(uploaded.uploadExpiresAt).toBeUndefined();
    const queued = markQueued(uploaded, T(2));
    expect(queued).toMatchObject({ state: 'queued', queuedAt: T(2).toISOString() });
    const running = markRunning(queued, 1, T(3));
    expect(running).toMatchObject({ state: 'running', startedAt: T(3).toISOString(), queuedAt: T(2).toISOString(), attempts: 1 });
    const progressed = markProgress(running, { tilesDone: 2, tilesTotal: 4 }, T(4));
    expect(progressed.progress).toEqual({ tilesDone: 2, tilesTotal: 4 });
    const done = markSucceeded(progressed, result(1), 3600, T(5));
    expect(done).toMatchObject({ state: 'succeeded', finishedAt: T(5).toISOString(), expiresAt: T(3605).toISOString(), results: [result(1)] });
    expect(currentResult(done)).toEqual(result(1));
    expect(currentResult(addResultVersion(done, result(2), T(6)))?.version).toBe(2);
  });

  test('redelivery: a running job may run again, or be handed back and keep its first queue time', () => {
    const running = markRunning(markQueued(markUploaded(makeJobRecord(), INPUT, T(1)), T(2)), 1, T(3));
    const again = markRunning(markProgress(running, { tilesDone: 1, tilesTotal: 2 }, T(4)), 2, T(5));
    expect(again).toMatchObject({ attempts: 2, startedAt: T(5).toISOString() });
    expect(again.progress).toBeUndefined();
    const handedBack = markRequeued(again, T(6));
    expect(handedBack).toMatchObject({ state: 'queued', queuedAt: T(2).toISOString() });
    expect(markRunning(handedBack, 3, T(7))).toMatchObject({ queuedAt: T(2).toISOString(), attempts: 3 });
  });

  test('an uploaded job whose queued mark was lost can start running', () => {
    const running = markRunning(markUploaded(makeJobRecord(), INPUT, T(1)), 1, T(3));
    expect(running).toMatchObject({ state: 'running', queuedAt: T(3).toISOString() });
  });

  test('failure keeps the reason and sets the expiry', () => {
    const failed = markFailed(markUploaded(makeJobRecord(), INPUT, T(1)), { code: 'CORRUPT_IMAGE', message: 'bad' }, 60, T(2));
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'CORRUPT_IMAGE', message: 'bad' }, expiresAt: T(62).toISOString() });
  });

  test('illegal moves throw CONFLICT naming both states', async () => {
    const created = makeJobRecord();
    const error = await expectRestainError(() => markRunning(created, 1, T(1)), 'CONFLICT');
    expect(error.message).toBe(`Job ${created.id} is created and cannot become running`);
    const done = markSucceeded(markRunning(markQueued(markUploaded(created, INPUT, T(1)), T(2)), 1, T(3)), result(1), 60, T(4));
    await expectRestainError(() => markRunning(done, 2, T(5)), 'CONFLICT');
    await expectRestainError(() => markFailed(done, { code: 'X', message: 'late' }, 60, T(5)), 'CONFLICT');
    await expectRestainError(() => markProgress(done, { tilesDone: 1, tilesTotal: 1 }, T(5)), 'CONFLICT');
    await expectRestainError(() => addResultVersion(done, result(3), T(5)), 'CONFLICT');
    await expectRestainError(() => addResultVersion(created, result(1), T(5)), 'CONFLICT');
  });

  test('canTransition: anything but deleted may be deleted or expire; deleted and expired are final', () => {
    const table = Object.fromEntries(JOB_STATES.map((from) => [from, JOB_STATES.filter((to) => canTransition(from, to))])) as Record<JobState, JobState[]>;
    expect(table).toEqual({
      created: ['uploaded', 'failed', 'expired', 'deleted'],
      uploaded: ['queued', 'running', 'failed', 'expired', 'deleted'],
      queued: ['running', 'failed', 'expired', 'deleted'],
      running: ['queued', 'running', 'succeeded', 'failed', 'expired', 'deleted'],
      succeeded: ['expired', 'deleted'],
      failed: ['expired', 'deleted'],
      expired: ['deleted'],
      deleted: [],
    });
  });
});
