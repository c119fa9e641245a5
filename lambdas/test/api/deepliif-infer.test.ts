import fs from 'node:fs';
import path from 'node:path';
import { isJobId, markFailed, markRunning, updateJob } from '@restain/shared';
import { analyzeImage } from '@restain/gpu-worker';
import { deepliifInfer } from '../../src/api/routes/deepliif-infer';
import { LOCAL_PRINCIPAL, decodedPng, fileOf, jsonBody, multipartRequest } from '../results/api-request';
import { type LocalTestContext, makeLocalContext, writeIhcPng } from '../results/local-test-context';
import { builtinEngine, closeEngine, processNextQueuedJob } from '../results/process-queued-job';

const ALL_IMAGES = ['DAPI', 'Hema', 'Lap2', 'Marker', 'Seg', 'SegOverlaid', 'SegRefined'];
const DEEPLIIF_SCORING_KEYS = ['num_total', 'num_pos', 'num_neg', 'percent_pos', 'prob_thresh', 'seg_thresh', 'size_thresh', 'size_thresh_upper', 'marker_thresh'];

let local: LocalTestContext;
let image: string;

beforeAll(async () => {
  local = makeLocalContext();
  image = await writeIhcPng(path.join(local.dir, 'ROI_1.png'), { width: 224, height: 160 });
});
afterAll(async () => {
  await closeEngine();
  local.close();
});

/** /api/infer while the test plays the worker (the next queued job is analysed and published). */
async function inferWithWorker(query: string) {
  const [response] = await Promise.all([
    deepliifInfer(multipartRequest('/api/infer', query, { img: fileOf(image) }), local.context, LOCAL_PRINCIPAL, {}),
    processNextQueuedJob(local.context),
  ]);
  return response;
}

async function latestJob() {
  const page = await local.context.jobs.listByOwner('local', { limit: 1 });
  return page.jobs[0];
}

describe('POST /api/infer (DeepLIIF)', () => {
  it("answers DeepLIIF's shape: every image as base64 PNG and the scoring, equal to analysing the file directly", async () => {
    const response = await inferWithWorker('resolution=40x&pil=true');
    expect(response.status).toBe(200);
    expect(response.headers?.['content-type']).toMatch(/^application\/json/);
    const body = await jsonBody(response);
    expect(Object.keys(body).sort()).toEqual(['images', 'scoring']);
    expect(Object.keys(body.images).sort()).toEqual(ALL_IMAGES);
    for (const name of ALL_IMAGES) expect(await decodedPng(body.images[name])).toEqual({ width: 224, height: 160, format: 'png' });
    for (const key of DEEPLIIF_SCORING_KEYS) expect(body.scoring).toHaveProperty(key);
    expect(body.scoring.num_total).toBeGreaterThan(5);
    expect(body.scoring.num_pos + body.scoring.num_neg).toBe(body.scoring.num_total);

    const job = await latestJob();
    expect(job).toMatchObject({ source: 'deepliif-api', owner: 'local', state: 'succeeded', options: { scale: { kind: 'magnification', magnification: '40x' } } });
    expect(job.input?.displayName).toBe('ROI_1.png');
    expect(body.scoring).toEqual(job.results[0].scoring);
    // The stored (validated, metadata-free) input scores exactly as the original file does.
    const direct = await analyzeImage({
      inputPath: image,
      outDir: path.join(local.dir, 'direct'),
      engine: await builtinEngine(),
      concurrency: 1,
      options: { scale: job.options.scale, page: 0, maxPixels: 1_000_000, postprocess: job.options.postprocess },
    });
    expect(body.scoring).toEqual(direct.scoring);
    expect(Buffer.from(body.images.Seg, 'base64').equals(fs.readFileSync(path.join(local.dir, 'direct', 'Seg.png')))).toBe(true);
  }, 120_000);

  it('slim answers SegRefined only; nopost the inferred channels without scoring', async () => {
    const slim = await jsonBody(await inferWithWorker('slim'));
    expect(Object.keys(slim.images)).toEqual(['SegRefined']);
    expect(slim.scoring.num_total).toBeGreaterThan(0);
    const nopost = await jsonBody(await inferWithWorker('resolution=20x&nopost=1'));
    expect(Object.keys(nopost.images)).toEqual(['Hema', 'DAPI', 'Lap2', 'Marker', 'Seg']);
    expect(nopost).not.toHaveProperty('scoring');
    expect((await latestJob()).options.scale).toEqual({ kind: 'magnification', magnification: '20x' });
  }, 120_000);

  it('applies the DeepLIIF thresholds to the job it creates', async () => {
    const body = await jsonBody(await inferWithWorker('prob_thresh=200&size_thresh=5&size_thresh_upper=5000&marker_thresh=auto'));
    expect(body.scoring).toMatchObject({ prob_thresh: 200, seg_thresh: 200, size_thresh: 5, size_thresh_upper: 5000 });
    expect((await latestJob()).options.postprocess).toMatchObject({ segThresh: 200, sizeThresh: 5, sizeThreshUpper: 5000, markerThresh: 'auto', resolution: '40x' });
  }, 120_000);

  it('answers 413 with the reason above the sync pixel limit, failing the job', async () => {
    const small = { ...local.context, config: { ...local.context.config, syncMaxPixels: 10_000 } };
    const error = await deepliifInfer(multipartRequest('/api/infer', '', { img: fileOf(image) }), small, LOCAL_PRINCIPAL, {}).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'IMAGE_TOO_LARGE', httpStatus: 413 });
    expect((error as Error).message).toMatch(/^ROI_1\.png is 224x160 px \(35840 pixels\), above the limit of 10000 pixels; use POST \/api\/batch\/infer/);
    expect(await latestJob()).toMatchObject({ state: 'failed', error: { code: 'IMAGE_TOO_LARGE' } });
  });

  it('answers 422 with the reason when the analysis fails', async () => {
    const failing = (async () => {
      const [message] = await local.context.queue.receive({ waitTimeSeconds: 10 });
      const { jobId } = JSON.parse(message.body) as { jobId: string };
      await updateJob(local.context.jobs, jobId, (record) =>
        markFailed(markRunning(record, 1, new Date()), { code: 'CORRUPT_IMAGE', message: 'the engine found no tissue' }, 60, new Date()),
      );
      await local.context.queue.delete(message.receiptHandle);
    })();
    const [response] = await Promise.all([deepliifInfer(multipartRequest('/api/infer', '', { img: fileOf(image) }), local.context, LOCAL_PRINCIPAL, {}), failing]);
    expect(response.status).toBe(422);
    const body = await jsonBody(response);
    expect(body.error).toMatchObject({ code: 'CORRUPT_IMAGE', message: 'the engine found no tissue' });
    expect(isJobId(body.error.jobId)).toBe(true);
  });

  it('answers 503 naming the job when the analysis outlasts the sync timeout; the job stays queued', async () => {
    const impatient = { ...local.context, config: { ...local.context.config, syncTimeoutSeconds: 0.3 } };
    const started = Date.now();
    const response = await deepliifInfer(multipartRequest('/api/infer', '', { img: fileOf(image) }), impatient, LOCAL_PRINCIPAL, {});
    expect(Date.now() - started).toBeLessThan(3000);
    expect(response.status).toBe(503);
    const body = await jsonBody(response);
    expect(body.error.code).toBe('UNAVAILABLE');
    expect(body.error.message).toMatch(new RegExp(`goes on as job ${body.error.jobId}: poll GET /api/batch/infer/${body.error.jobId}`));
    expect((await local.context.jobs.get(body.error.jobId))?.record.state).toBe('queued');
    // Clean the queue for the next test.
    await processNextQueuedJob(local.context);
  }, 120_000);

  it('answers 400 for a missing img field and for bad query parameters (before reading the body)', async () => {
    await expect(deepliifInfer(multipartRequest('/api/infer', '', { image: fileOf(image) }), local.context, LOCAL_PRINCIPAL, {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Expected an image file in the multipart field "img" but received files "image"',
    });
    await expect(deepliifInfer(multipartRequest('/api/infer', 'resolution=60x', { img: fileOf(image) }), local.context, LOCAL_PRINCIPAL, {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'Expected 10x, 20x or 40x for resolution but received "60x"',
    });
    await expect(deepliifInfer(multipartRequest('/api/infer', 'prob_thresh=300', { img: fileOf(image) }), local.context, LOCAL_PRINCIPAL, {})).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/for prob_thresh but received "300"/),
    });
    await expect(deepliifInfer(multipartRequest('/api/infer', 'marker_thresh=high', { img: fileOf(image) }), local.context, LOCAL_PRINCIPAL, {})).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
