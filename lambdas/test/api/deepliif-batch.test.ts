import path from 'node:path';
import { RestainError, inputKey, markFailed, markProgress, markRunning, updateJob } from '@restain/shared';
import { deepliifBatchInfer, deepliifBatchStatus } from '../../src/api/routes/deepliif-batch';
import {
  ANONYMOUS_PRINCIPAL,
  LOCAL_PRINCIPAL,
  OTHER_KEY_PRINCIPAL,
  decodedPng,
  fileOf,
  getRequest,
  jsonBody,
  multipartRequest,
} from '../results/api-request';
import { type LocalTestContext, makeLocalContext, writeIhcPng } from '../results/local-test-context';
import { closeEngine, processNextQueuedJob } from '../results/process-queued-job';

let local: LocalTestContext;
let image: string;

beforeAll(async () => {
  local = makeLocalContext();
  image = await writeIhcPng(path.join(local.dir, 'roi.png'), { width: 256, height: 192 });
});
afterAll(async () => {
  await closeEngine();
  local.close();
});

async function submit(principal = LOCAL_PRINCIPAL, query = 'resolution=40x&pil=true'): Promise<string> {
  const response = await deepliifBatchInfer(multipartRequest('/api/batch/infer', query, { img: fileOf(image) }), local.context, principal, {});
  expect(response.status).toBe(200);
  const body = await jsonBody(response);
  expect(Object.keys(body)).toEqual(['task_id']);
  return body.task_id as string;
}

const status = (taskId: string, principal = LOCAL_PRINCIPAL, query = '') =>
  deepliifBatchStatus(getRequest(`/api/batch/infer/${taskId}`, query), local.context, principal, { task_id: taskId });

describe('DeepLIIF batch API', () => {
  it('takes the request, answers the task id at once, and reports PENDING, STARTED, then SUCCESS with the /api/infer shape', async () => {
    const taskId = await submit();
    expect((await local.context.jobs.get(taskId))?.record).toMatchObject({ state: 'queued', source: 'deepliif-api', owner: 'local' });
    expect(await jsonBody(await status(taskId))).toEqual({ task_id: taskId, state: 'PENDING', result: null });

    await updateJob(local.context.jobs, taskId, (record) => markProgress(markRunning(record, 1, new Date()), { tilesDone: 1, tilesTotal: 4 }, new Date()));
    expect(await jsonBody(await status(taskId))).toEqual({ task_id: taskId, state: 'STARTED', result: null, progress: { tilesDone: 1, tilesTotal: 4 } });

    // The test plays the worker: the job is picked up again from running (a redelivery) and published.
    await processNextQueuedJob(local.context);
    const done = await jsonBody(await status(taskId));
    expect(done.state).toBe('SUCCESS');
    expect(Object.keys(done.result.images).sort()).toEqual(['DAPI', 'Hema', 'Lap2', 'Marker', 'Seg', 'SegOverlaid', 'SegRefined']);
    expect(await decodedPng(done.result.images.SegOverlaid)).toEqual({ width: 256, height: 192, format: 'png' });
    expect(done.result.scoring).toEqual((await local.context.jobs.get(taskId))?.record.results[0].scoring);
    // slim on the status request: SegRefined only.
    const slim = await jsonBody(await status(taskId, LOCAL_PRINCIPAL, 'slim=true'));
    expect(Object.keys(slim.result.images)).toEqual(['SegRefined']);
  }, 120_000);

  it('reports FAILURE with the reason', async () => {
    const taskId = await submit();
    await updateJob(local.context.jobs, taskId, (record) =>
      markFailed(markRunning(record, 3, new Date()), { code: 'WORKER_CRASHED', message: 'the worker crashed 3 times on this job' }, 60, new Date()),
    );
    expect(await jsonBody(await status(taskId))).toEqual({
      task_id: taskId,
      state: 'FAILURE',
      result: { error: { code: 'WORKER_CRASHED', message: 'the worker crashed 3 times on this job', jobId: taskId } },
    });
  });

  it("refuses bad input at submission with the reason, and another owner's or an unknown task with 404", async () => {
    await expect(
      deepliifBatchInfer(multipartRequest('/api/batch/infer', '', { img: { filename: 'x.png', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') } }), local.context, LOCAL_PRINCIPAL, {}),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', httpStatus: 415, message: expect.stringMatching(/^x\.png is not a supported image: it is an SVG/) });
    const taskId = await submit();
    await expect(status(taskId, OTHER_KEY_PRINCIPAL)).rejects.toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
    await expect(status(taskId, ANONYMOUS_PRINCIPAL)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(status('not-a-task')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(status('0b6e3c5e-2f0a-4c1e-9a55-3d2e1f0a9b8c')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers 507 on a full disk (injected ENOSPC), storing nothing, queueing nothing and failing the job', async () => {
    const objects = local.context.objects;
    const full = {
      ...local.context,
      objects: Object.assign(Object.create(objects) as typeof objects, {
        put: async () => {
          throw new RestainError('INSUFFICIENT_STORAGE', 'No space left on device (ENOSPC) writing inputs/');
        },
      }),
    };
    const before = await local.context.queue.depth();
    await expect(deepliifBatchInfer(multipartRequest('/api/batch/infer', '', { img: fileOf(image) }), full, LOCAL_PRINCIPAL, {})).rejects.toMatchObject({ code: 'INSUFFICIENT_STORAGE', httpStatus: 507 });
    const job = (await local.context.jobs.listByOwner('local', { limit: 1 })).jobs[0];
    expect(job).toMatchObject({ state: 'failed', error: { code: 'INSUFFICIENT_STORAGE' } });
    expect(await objects.head(inputKey(job.id))).toBeUndefined();
    expect(await local.context.queue.depth()).toEqual(before);
  });

  it('lets anonymous callers reach their anonymous tasks by id alone', async () => {
    const taskId = await submit(ANONYMOUS_PRINCIPAL);
    expect((await local.context.jobs.get(taskId))?.record.owner).toBe('anonymous');
    // Another anonymous client (another address) with the id: the id is the capability.
    const elsewhere = { ...ANONYMOUS_PRINCIPAL, rateLimitKey: '198.51.100.4' };
    expect((await jsonBody(await status(taskId, elsewhere))).state).toBe('PENDING');
    await expect(status(taskId, LOCAL_PRINCIPAL)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
