import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POSTPROCESS_OPTIONS, type Scoring, resultPrefix } from '@restain/shared';
import { analyzeImage } from '../../src/analysis/analyze-image';
import { DEFAULT_MAX_PIXELS } from '../../src/analysis/analyze-options';
import { createEngine } from '../../src/engines/create-engine';
import type { Engine } from '../../src/engines/engine';
import { processJob } from '../../src/worker/process-job';
import { publishResult } from '../../src/worker/publish-result';
import {
  type TestHome,
  createQueuedJob,
  enqueue,
  expectQueueEmpty,
  entriesOf,
  fakeEngine,
  keysUnder,
  openTestHome,
  receiveOne,
  syntheticPng,
  workerDeps,
} from './worker-fixture';

const SIZE = 256;
const VISIBILITY_SECONDS = 30;
const OPTIONS = { scale: { kind: 'magnification', magnification: '40x' } as const, page: 0, maxPixels: DEFAULT_MAX_PIXELS, postprocess: DEFAULT_POSTPROCESS_OPTIONS };

let engine: Engine;
let png: Buffer;
let scratch: string;
let referenceDir: string;
let reference: { scoring: Scoring; createdAt: string };
let home: TestHome;

beforeAll(async () => {
  engine = await createEngine({ kind: 'builtin' });
  png = await syntheticPng(SIZE, 7);
  scratch = await mkdtemp(path.join(os.tmpdir(), 'restain-process-job-'));
  await writeFile(path.join(scratch, 'input.png'), png);
  // What `restain analyze` computes for the same image and options.
  referenceDir = path.join(scratch, 'reference');
  const result = await analyzeImage({ inputPath: path.join(scratch, 'input.png'), outDir: referenceDir, options: OPTIONS, engine, concurrency: 1 });
  reference = { scoring: result.scoring, createdAt: String(result.manifest.createdAt) };
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

beforeEach(async () => {
  home = await openTestHome({ visibilityTimeoutSeconds: VISIBILITY_SECONDS, maxReceiveCount: 3 });
});
afterEach(() => home.close());

describe('processJob', () => {
  it('runs a queued job: result v1 published, job succeeded with the scoring restain analyze gives, message deleted', async () => {
    const counting = fakeEngine(engine);
    const jobId = await createQueuedJob(home, png, SIZE);
    await enqueue(home, jobId);
    const outcome = await processJob(workerDeps(home, counting, VISIBILITY_SECONDS), await receiveOne(home, VISIBILITY_SECONDS));

    expect(outcome).toMatchObject({ kind: 'succeeded', jobId, analyzed: true });
    const { record } = (await home.jobs.get(jobId))!;
    expect(record.state).toBe('succeeded');
    expect(record.attempts).toBe(1);
    expect(record.results).toHaveLength(1);
    const [result] = record.results;
    expect(result).toMatchObject({ version: 1, prefix: resultPrefix(jobId, 1), postprocess: DEFAULT_POSTPROCESS_OPTIONS });
    expect(result.scoring).toEqual(reference.scoring);
    expect(result.files).toEqual(expect.arrayContaining(['Hema.png', 'Marker.png', 'Seg.png', 'SegRefined.png', 'scoring.json', 'cells.csv', 'manifest.json']));
    expect((await keysUnder(home.objects, `results/${jobId}/`)).sort()).toEqual(result.files.map((name) => `${result.prefix}${name}`).sort());
    expect(record.progress).toEqual({ tilesDone: 1, tilesTotal: 1 });
    expect(Date.parse(record.expiresAt!) - Date.parse(record.finishedAt!)).toBe(3600_000);
    expect(counting.calls.prepares).toBe(1);
    await expectQueueEmpty(home);
    expect(await entriesOf(home.tempDir)).toEqual([]);
  });

  it('recognises a second delivery of a finished job: one analysis, one result version', async () => {
    const counting = fakeEngine(engine);
    const deps = workerDeps(home, counting, VISIBILITY_SECONDS);
    const jobId = await createQueuedJob(home, png, SIZE);
    await enqueue(home, jobId);
    await enqueue(home, jobId);

    expect(await processJob(deps, await receiveOne(home, VISIBILITY_SECONDS))).toMatchObject({ kind: 'succeeded', analyzed: true });
    const finished = (await home.jobs.get(jobId))!;
    expect(await processJob(deps, await receiveOne(home, VISIBILITY_SECONDS))).toMatchObject({ kind: 'dropped', jobId, reason: 'the job is already succeeded' });

    expect(counting.calls.prepares).toBe(1);
    expect((await home.jobs.get(jobId))!.version).toBe(finished.version); // the record was not touched again
    expect((await keysUnder(home.objects, `results/${jobId}/`)).every((key) => key.startsWith(resultPrefix(jobId, 1)))).toBe(true);
    await expectQueueEmpty(home);
  });

  it('two deliveries running at once publish one result, and the job is marked once', async () => {
    const deps = workerDeps(home, fakeEngine(engine), VISIBILITY_SECONDS);
    const jobId = await createQueuedJob(home, png, SIZE);
    await enqueue(home, jobId);
    await enqueue(home, jobId);
    const messages = await home.queue.receive({ waitTimeSeconds: 0, maxMessages: 2 });
    expect(messages).toHaveLength(2);

    const outcomes = await Promise.all(messages.map((message) => processJob(deps, message)));
    const kinds = outcomes.map((outcome) => outcome.kind).sort();
    expect(kinds[1]).toBe('succeeded');
    expect(['dropped', 'succeeded']).toContain(kinds[0]);
    const { record } = (await home.jobs.get(jobId))!;
    expect(record.results).toHaveLength(1);
    expect(record.results[0].scoring).toEqual(reference.scoring);
    const manifest = JSON.parse((await readFile(home.objects.localPath(`${resultPrefix(jobId, 1)}manifest.json`))).toString());
    expect(record.results[0].createdAt).toBe(manifest.createdAt);
    await expectQueueEmpty(home);
  });

  it('finishes a job whose result an earlier attempt published before dying, without analysing again', async () => {
    const counting = fakeEngine(engine);
    const jobId = await createQueuedJob(home, png, SIZE);
    await publishResult(home.objects, jobId, referenceDir, { ...reference, postprocess: DEFAULT_POSTPROCESS_OPTIONS });
    await enqueue(home, jobId);

    const outcome = await processJob(workerDeps(home, counting, VISIBILITY_SECONDS), await receiveOne(home, VISIBILITY_SECONDS));

    expect(outcome).toMatchObject({ kind: 'succeeded', analyzed: false });
    expect(counting.calls.prepares).toBe(0);
    const { record } = (await home.jobs.get(jobId))!;
    expect(record.state).toBe('succeeded');
    expect(record.results).toEqual([
      expect.objectContaining({ version: 1, createdAt: reference.createdAt, scoring: reference.scoring, postprocess: DEFAULT_POSTPROCESS_OPTIONS }),
    ]);
    await expectQueueEmpty(home);
  });

  it('completes a half-published result: files left by a dead attempt are kept or replaced, manifest last', async () => {
    const jobId = await createQueuedJob(home, png, SIZE);
    const prefix = resultPrefix(jobId, 1);
    await home.objects.put(`${prefix}Hema.png`, await readFile(path.join(referenceDir, 'Hema.png')), { ifNoneMatch: '*' });
    await home.objects.put(`${prefix}cells.csv`, new TextEncoder().encode('left,by,another,engine\n'), { ifNoneMatch: '*' });
    await enqueue(home, jobId);

    const outcome = await processJob(workerDeps(home, fakeEngine(engine), VISIBILITY_SECONDS), await receiveOne(home, VISIBILITY_SECONDS));

    expect(outcome).toMatchObject({ kind: 'succeeded', analyzed: true });
    expect(await readFile(home.objects.localPath(`${prefix}cells.csv`))).toEqual(await readFile(path.join(referenceDir, 'cells.csv')));
    expect((await home.jobs.get(jobId))!.record.results[0].scoring).toEqual(reference.scoring);
  });
});
