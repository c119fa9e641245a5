import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { type Engine, type ProcessOutcome, type WorkerDeps, createEngine, runWorker } from '@restain/gpu-worker';
import { DEFAULT_POSTPROCESS_OPTIONS, ENV, type JobRecord, RestainError, encodeJobMessage, inputKey } from '@restain/shared';
import { SqsJobQueue, jobRecordKey } from '@restain/shared/aws';
import { openAwsWorkerHome } from '../../../gpu-worker/src/worker/aws-worker-home';
import { createDeadLetterHandler } from '../../src/handlers/dead-letters';
import { syntheticPng } from '../support/test-images';
import { type AwsEmulators, BUCKET, type TestRuntime, openTestRuntime, sqsEvent, startAwsEmulators, waitFor } from './aws-handler-fixture';

let emulators: AwsEmulators;
let builtin: Engine;
let png: Uint8Array;

beforeAll(async () => {
  emulators = await startAwsEmulators();
  builtin = await createEngine({ kind: 'builtin' });
  png = await syntheticPng(640, 512, 3);
});
afterAll(async () => {
  await builtin?.close();
  await emulators?.stop();
});

/** What the upload edge leaves: a validated input and a queued record on S3, and the job's message on SQS. */
async function queueJob(runtime: TestRuntime, image: { png: Uint8Array; width: number; height: number } = { png, width: 640, height: 512 }): Promise<string> {
  const id = randomUUID();
  const { png } = image;
  const now = new Date().toISOString();
  await runtime.context.objects.put(inputKey(id), png, { ifNoneMatch: '*', contentType: 'image/png' });
  const record: JobRecord = {
    id,
    owner: 'alice',
    source: 'jobs-api',
    state: 'queued',
    options: { scale: { kind: 'magnification', magnification: '40x' }, postprocess: DEFAULT_POSTPROCESS_OPTIONS, page: 0 },
    createdAt: now,
    updatedAt: now,
    uploadedAt: now,
    queuedAt: now,
    input: { key: inputKey(id), displayName: 'slide.png', format: 'png', width: image.width, height: image.height, sizeBytes: png.byteLength, sha256: 'not-checked' },
    attempts: 0,
    results: [],
  };
  await runtime.context.jobs.create(record);
  await runtime.context.queue.send(encodeJobMessage({ jobId: id }));
  return id;
}

/** The builtin engine, slowed per tile or failing on every tile. */
function testEngine(options: { tileDelayMs?: number; failAlways?: boolean }): Engine & { tiles: number } {
  const engine = {
    info: builtin.info,
    tiles: 0,
    prepare: (sample: Parameters<Engine['prepare']>[0]) => builtin.prepare(sample),
    async inferTile(tile: Parameters<Engine['inferTile']>[0], context: Parameters<Engine['inferTile']>[1]) {
      engine.tiles++;
      if (options.failAlways) throw new RestainError('ENGINE_FAILED', `engine crashed on tile ${engine.tiles}`);
      if (options.tileDelayMs) await new Promise((resolve) => setTimeout(resolve, options.tileDelayMs));
      return builtin.inferTile(tile, context);
    },
    close: async () => undefined,
  };
  return engine;
}

function awsWorker(runtime: TestRuntime, engine: Engine, events: { event: string; fields: Record<string, unknown> }[] = []): WorkerDeps {
  const home = openAwsWorkerHome({ bucket: BUCKET, queueUrl: runtime.queueUrl }, { s3: emulators.s3, sqs: emulators.sqs });
  return { ...home, engine, tempDir: runtime.tempDir, retentionSeconds: 3600, visibilityTimeoutSeconds: 2, now: () => new Date(), log: (event, fields = {}) => events.push({ event, fields }) };
}

async function resultKeys(runtime: TestRuntime, jobId: string): Promise<string[]> {
  return (await runtime.context.objects.list(`results/${jobId}/`)).objects.map((o) => o.key);
}

describe('fault tolerance with the SQS and S3 adapters', () => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    runtime = await openTestRuntime(emulators, { visibilityTimeoutSeconds: 2, maxReceiveCount: 2, retentionSeconds: 3600 });
  });
  afterEach(() => runtime.close());

  test('a worker stopped mid-job hands it back; another worker finishes it, once', async () => {
    const jobId = await queueJob(runtime);
    const first = new AbortController();
    const firstEvents: { event: string; fields: Record<string, unknown> }[] = [];
    const firstRun = runWorker(awsWorker(runtime, testEngine({ tileDelayMs: 400 }), firstEvents), { signal: first.signal, waitTimeSeconds: 1, progressIntervalMs: 50 });
    await waitFor('the first worker to start the job', async () => (await runtime.context.jobs.get(jobId))?.record.state === 'running' || undefined);
    first.abort();
    expect((await firstRun).outcomes['handed-back']).toBe(1);

    const second = new AbortController();
    const outcomes: ProcessOutcome[] = [];
    await runWorker(awsWorker(runtime, testEngine({})), { signal: second.signal, waitTimeSeconds: 1, onOutcome: (o) => (outcomes.push(o), second.abort()) });
    expect(outcomes).toEqual([expect.objectContaining({ kind: 'succeeded', jobId })]);
    const record = (await runtime.context.jobs.get(jobId))!.record;
    expect(record).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(record.results.map((r) => r.version)).toEqual([1]);
    expect((await resultKeys(runtime, jobId)).every((key) => key.startsWith(`results/${jobId}/v1/`))).toBe(true);
    expect(await runtime.context.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('a worker process killed with -9 mid-job: another worker finishes it, once', async () => {
    const big = await syntheticPng(1300, 1300, 5); // 9 tiles at 40x: seconds of work to be killed in
    const jobId = await queueJob(runtime, { png: big, width: 1300, height: 1300 });
    // The shipped worker entry, configured as on ECS (bucket + queue URL), with the SDK's own endpoint variables.
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../../dist/worker.js')], {
      env: {
        PATH: process.env.PATH,
        TMPDIR: runtime.tempDir,
        [ENV.BUCKET]: BUCKET,
        [ENV.QUEUE_URL]: runtime.queueUrl,
        [ENV.VISIBILITY_TIMEOUT_SECONDS]: '2',
        [ENV.HEARTBEAT_FILE]: path.join(runtime.tempDir, 'heartbeat'),
        AWS_ENDPOINT_URL_S3: emulators.proxy.endpoint,
        AWS_ENDPOINT_URL_SQS: emulators.fauxqs.endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'S3RVER', // the emulator's fixed credentials
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    try {
      await waitFor(`the worker process to report progress (log: ${log.slice(-300)})`, async () => ((await runtime.context.jobs.get(jobId))?.record.progress?.tilesDone ?? 0) > 0 || undefined, 60_000);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    expect((await runtime.context.jobs.get(jobId))!.record.state).toBe('running');
    expect(await resultKeys(runtime, jobId)).toEqual([]); // nothing published by the killed worker

    // Its lease runs out (2 s); a second worker receives the job again and finishes it.
    const second = new AbortController();
    const outcomes: ProcessOutcome[] = [];
    await runWorker(awsWorker(runtime, testEngine({})), { signal: second.signal, waitTimeSeconds: 5, onOutcome: (o) => (outcomes.push(o), second.abort()) });
    expect(outcomes).toEqual([expect.objectContaining({ kind: 'succeeded', jobId })]);
    const record = (await runtime.context.jobs.get(jobId))!.record;
    expect(record).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(record.results.map((r) => r.version)).toEqual([1]);
    expect((await resultKeys(runtime, jobId)).filter((key) => key.endsWith('manifest.json'))).toEqual([`results/${jobId}/v1/manifest.json`]);
    expect(await runtime.context.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  }, 120_000);

  test('a duplicate SQS delivery of a job yields one result', async () => {
    const jobId = await queueJob(runtime);
    await runtime.context.queue.send(encodeJobMessage({ jobId })); // SQS at-least-once: the same job twice
    const controller = new AbortController();
    const outcomes: ProcessOutcome[] = [];
    const engine = testEngine({});
    await runWorker(awsWorker(runtime, engine), {
      signal: controller.signal,
      waitTimeSeconds: 1,
      onOutcome: (o) => {
        outcomes.push(o);
        if (outcomes.length === 2) controller.abort();
      },
    });
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['dropped', 'succeeded']);
    const record = (await runtime.context.jobs.get(jobId))!.record;
    expect(record.results).toHaveLength(1);
    const manifests = (await resultKeys(runtime, jobId)).filter((key) => key.endsWith('manifest.json'));
    expect(manifests).toEqual([`results/${jobId}/v1/manifest.json`]);
    expect(await runtime.context.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('a poison job goes to the DLQ after maxReceiveCount receives; the dead-letter Lambda fails it with the reason', async () => {
    const jobId = await queueJob(runtime);
    const controller = new AbortController();
    const deadLetters = new SqsJobQueue(emulators.sqs, runtime.deadLetterQueueUrl);
    const worker = runWorker(awsWorker(runtime, testEngine({ failAlways: true })), { signal: controller.signal, waitTimeSeconds: 1, retryBaseSeconds: 0 });
    await waitFor('the message in the dead-letter queue', async () => ((await deadLetters.depth()).visible === 1 ? true : undefined), 20_000);
    controller.abort();
    const stats = await worker;
    expect(stats.outcomes.retry).toBe(2);

    // The DLQ's event source mapping hands the Lambda the message (taken from fauxqs as SQS would deliver it).
    const [message] = await deadLetters.receive({ waitTimeSeconds: 1 });
    const arn = (await emulators.sqs.send(new GetQueueAttributesCommand({ QueueUrl: runtime.deadLetterQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const handler = createDeadLetterHandler(() => ({ context: runtime.context, maxReceiveCount: runtime.config.maxReceiveCount }), () => undefined);
    const answer = await handler(sqsEvent(arn, [{ messageId: message.messageId, body: message.body, receiveCount: message.receiveCount }]));
    expect(answer).toEqual({ batchItemFailures: [] });
    const record = (await runtime.context.jobs.get(jobId))!.record;
    expect(record.state).toBe('failed');
    expect(record.error).toEqual({
      code: 'ENGINE_FAILED',
      message: expect.stringMatching(/^The job failed 2 times while processing \(last: .*engine crashed on tile \d+.*\); it was moved to the dead-letter queue$/),
    });
    // Delivered again (SQS may): the job is already failed and stays as it is.
    expect(await handler(sqsEvent(arn, [{ messageId: message.messageId, body: message.body }]))).toEqual({ batchItemFailures: [] });
    expect((await runtime.context.jobs.get(jobId))!.record.error).toEqual(record.error);
  });

  test('the dead-letter Lambda reports only the messages whose job could not be updated', async () => {
    const [healthy, broken] = [await queueJob(runtime), await queueJob(runtime)];
    // S3 fails every request for the second job's record (beyond the SDK's retries).
    emulators.proxy.injectFault({ status: 503, code: 'SlowDown', times: 1000, when: (request) => request.key === jobRecordKey(broken) });
    const handler = createDeadLetterHandler(() => ({ context: runtime.context, maxReceiveCount: 2 }), () => undefined);
    const answer = await handler(
      sqsEvent('arn:aws:sqs:us-east-1:000000000000:analysis-dead', [
        { messageId: 'm-healthy', body: encodeJobMessage({ jobId: healthy }) },
        { messageId: 'm-broken', body: encodeJobMessage({ jobId: broken }) },
        { messageId: 'm-malformed', body: '{"jobId": 42}' },
      ]),
    );
    expect(answer).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-broken' }] });
    expect((await runtime.context.jobs.get(healthy))!.record).toMatchObject({ state: 'failed', error: { code: 'WORKER_CRASHED' } });
  });
});
