import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { type Engine, type ProcessOutcome, createEngine, runWorker } from '@restain/gpu-worker';
import { openAwsWorkerHome } from '../../../gpu-worker/src/worker/aws-worker-home';
import type { S3EventBody } from '../../../test-support/aws-emulators/start-emulators';
import { createDropFolderHandler } from '../../src/handlers/drop-folder';
import { createOutboxDeliveryHandler } from '../../src/handlers/outbox-delivery';
import { syntheticPng } from '../support/test-images';
import { type AwsEmulators, BUCKET, type TestRuntime, asS3Notification, openTestRuntime, startAwsEmulators, waitFor } from './aws-handler-fixture';

let emulators: AwsEmulators;
let runtime: TestRuntime;
let engine: Engine;
const events: S3EventBody[] = [];

beforeAll(async () => {
  emulators = await startAwsEmulators();
  emulators.s3rver.onEvent((event) => events.push(event));
  runtime = await openTestRuntime(emulators, undefined, { RESTAIN_DROP_OWNER: 'ops-team' });
  engine = await createEngine({ kind: 'builtin' });
});
afterAll(async () => {
  await engine?.close();
  runtime?.close();
  await emulators?.stop();
});

test('an image dropped into the S3 inbox/ becomes a job, an SQS/S3 worker analyses it, and its results appear in outbox/', async () => {
  const logs: string[] = [];
  const dropHandler = createDropFolderHandler(() => runtime.context, () => runtime.config.dropOwner, (line) => logs.push(line));
  const dropPath = 'Batch 7/slide (1)+ki67.png';
  const png = await syntheticPng(320, 256, 5);

  // Given: a client drops a file into inbox/, and S3 notifies the drop-folder Lambda (s3rver's event, key URL-encoded as S3 sends it).
  await emulators.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbox/${dropPath}`, Body: png, ContentType: 'image/png' }));
  const emitted = await waitFor('the inbox object event', async () => events.find((e) => e.Records[0].s3.object.key === `inbox/${dropPath}`));
  const notification = asS3Notification(emitted);
  expect(notification.Records[0].s3.object.key).toBe('inbox/Batch+7/slide+%281%29%2Bki67.png');
  await dropHandler(notification);
  await dropHandler(notification); // S3 delivers at least once: a repeated event makes no second job

  // Then: one queued drop-folder job owned by the configured owner, one message on SQS.
  const outcomes = logs.map((line) => JSON.parse(line) as { event: string; jobId?: string });
  expect(outcomes.map((o) => o.event)).toEqual(['drop.queued', 'drop.duplicate']);
  const jobId = outcomes[0].jobId as string;
  expect((await runtime.context.jobs.get(jobId))?.record).toMatchObject({ state: 'queued', owner: 'ops-team', source: 'drop-folder', dropPath, displayName: 'slide (1)+ki67.png' });
  expect(await runtime.context.queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });

  // When: a worker on the SQS and S3 adapters runs until the job settles, and the scheduled delivery runs.
  const home = openAwsWorkerHome({ bucket: BUCKET, queueUrl: runtime.queueUrl }, { s3: emulators.s3, sqs: emulators.sqs });
  const controller = new AbortController();
  const settled: ProcessOutcome[] = [];
  const started = Date.now();
  await runWorker(
    { ...home, engine, tempDir: runtime.tempDir, retentionSeconds: 3600, visibilityTimeoutSeconds: 30, now: () => new Date(), log: () => undefined },
    { signal: controller.signal, waitTimeSeconds: 1, onOutcome: (outcome) => (settled.push(outcome), controller.abort()) },
  );
  const workMs = Date.now() - started;
  expect(settled).toEqual([expect.objectContaining({ kind: 'succeeded', jobId })]);
  const delivery = await createOutboxDeliveryHandler(() => runtime.context, () => undefined)();
  expect(delivery).toEqual({ delivered: 1, waiting: 0, errors: 0 });

  // Then: the results sit in outbox/<same path>/, scores agree with the job, the folder has its summary row.
  const listed = await emulators.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'outbox/' }));
  const keys = (listed.Contents ?? []).map((o) => o.Key);
  for (const name of ['scoring.json', 'manifest.json', 'Seg.png', 'SegOverlaid.png', 'cells.csv']) expect(keys).toContain(`outbox/${dropPath}/${name}`);
  expect(keys).toContain('outbox/Batch 7/summary.csv');
  const read = async (key: string) => (await emulators.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
  const scoring = JSON.parse(await read(`outbox/${dropPath}/scoring.json`));
  const record = (await runtime.context.jobs.get(jobId))!.record;
  expect(record.state).toBe('succeeded');
  expect(scoring.num_total).toBe(record.results[0].scoring.num_total);
  expect(scoring.num_total).toBeGreaterThan(10);
  expect(await read('outbox/Batch 7/summary.csv')).toContain(`${dropPath},succeeded,${scoring.num_total},`);
  expect(await runtime.context.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  console.log(`pipeline: worker took ${workMs} ms for a 320 x 256 image on the emulators`);
});
