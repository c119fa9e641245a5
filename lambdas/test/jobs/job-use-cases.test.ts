import { DEFAULT_POSTPROCESS_OPTIONS, type JobOptions, markFailed } from '@restain/shared';
import { addJobFeedback, MAX_FEEDBACK_ENTRIES } from '../../src/jobs/add-feedback';
import { createJob } from '../../src/jobs/create-job';
import { deleteJob } from '../../src/jobs/delete-job';
import { getOwnedJob } from '../../src/jobs/get-owned-job';
import { describeJob, jobView } from '../../src/jobs/job-view';
import { listJobs } from '../../src/jobs/list-jobs';
import { type TestContext, makeTestContext } from '../support/make-test-context';

const OPTIONS: JobOptions = { scale: { kind: 'auto' }, postprocess: DEFAULT_POSTPROCESS_OPTIONS, page: 0 };
const LOCAL = { owner: 'local', kind: 'local', rateLimitKey: 'local' } as const;
const OTHER = { owner: 'key_other', kind: 'api-key', rateLimitKey: 'key:key_other' } as const;

let test_: TestContext;
let clockMs = Date.parse('2025-01-01T00:00:00Z');
beforeEach(() => {
  test_ = makeTestContext({ now: () => new Date(clockMs) });
});
afterEach(() => test_.close());

async function newJob(owner = 'local') {
  clockMs += 1000;
  return createJob(test_.context, { owner, source: 'jobs-api', options: OPTIONS, displayName: 'a.png' });
}

describe('job use cases', () => {
  test('createJob stores a created job with a UUIDv4 id, no results, zero attempts', async () => {
    const job = await newJob();
    expect(job.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(job).toMatchObject({ state: 'created', owner: 'local', attempts: 0, results: [], displayName: 'a.png', createdAt: new Date(clockMs).toISOString() });
    expect((await test_.context.jobs.get(job.id))?.record).toEqual(job);
  });

  test("getOwnedJob: another owner's, unknown and malformed ids are all NOT_FOUND", async () => {
    const job = await newJob();
    expect((await getOwnedJob(test_.context, LOCAL, job.id)).record.id).toBe(job.id);
    for (const [principal, id] of [[OTHER, job.id], [LOCAL, '00000000-0000-4000-8000-000000000000'], [LOCAL, '../x']] as const) {
      await expect(getOwnedJob(test_.context, principal, id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  test('deleteJob removes the raw upload, the input and every result version, then the record', async () => {
    const job = await newJob();
    const keys = [`uploads/${job.id}`, `inputs/${job.id}/input.png`, `results/${job.id}/v1/Seg.png`, `results/${job.id}/v2/scoring.json`];
    const other = await newJob();
    const kept = `results/${other.id}/v1/Seg.png`;
    for (const key of [...keys, kept]) await test_.objects.put(key, new Uint8Array([1, 2, 3]));
    expect(await deleteJob(test_.context, job.id)).toBe(3);
    for (const key of keys) expect(await test_.objects.head(key)).toBeUndefined();
    expect(await test_.objects.head(kept)).toBeDefined();
    expect(await test_.context.jobs.get(job.id)).toBeUndefined();
  });

  test('listJobs pages newest first and validates the limit', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await newJob()).id);
    await newJob('someone-else');
    const first = await listJobs(test_.context, 'local', { limit: 2 });
    expect(first.jobs.map((job) => job.id)).toEqual([ids[2], ids[1]]);
    const second = await listJobs(test_.context, 'local', { limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second).toEqual({ jobs: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    await expect(listJobs(test_.context, 'local', { limit: 101 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  test('feedback is trimmed, bounded in length and in count', async () => {
    const job = await newJob();
    expect(await addJobFeedback(test_.context, job.id, '  good  ')).toEqual({ text: 'good', createdAt: new Date(clockMs).toISOString() });
    await expect(addJobFeedback(test_.context, job.id, '   ')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(addJobFeedback(test_.context, job.id, 'é'.repeat(2001))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    for (let i = 1; i < MAX_FEEDBACK_ENTRIES; i++) await addJobFeedback(test_.context, job.id, `note ${i}`);
    await expect(addJobFeedback(test_.context, job.id, 'one more')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(addJobFeedback(test_.context, '00000000-0000-4000-8000-000000000000', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  test('the view shows the failure reason and the queue position only while queued', async () => {
    const job = await newJob();
    const failed = markFailed(job, { code: 'CORRUPT_IMAGE', message: 'a.png is truncated' }, 60, new Date(clockMs));
    const view = jobView(test_.context, failed);
    expect(view).toMatchObject({ state: 'failed', error: { code: 'CORRUPT_IMAGE', message: 'a.png is truncated' }, queuePosition: null, links: { self: expect.stringMatching(new RegExp(`/api/jobs/${job.id}$`)) } });
    expect(view.links.results).toBeUndefined();
    expect((await describeJob(test_.context, job)).queuePosition).toBeNull();
    expect(view.parameters).toEqual({ resolution: 'auto', pixel_size: null, page: 0, seg_thresh: 120, size_thresh: 'auto', size_thresh_upper: 'none', size_thresh_relative: 0.35, marker_thresh: 'none' });
  });
});
