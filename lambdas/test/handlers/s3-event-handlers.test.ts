import { randomUUID } from 'node:crypto';
import { ENV, RestainError, uploadKey } from '@restain/shared';
import { parseLambdaConfig } from '../../src/handlers/config';
import { createDropFolderHandler } from '../../src/handlers/drop-folder';
import { createdObjectKeys, decodeS3EventKey } from '../../src/handlers/s3-event-keys';
import { createUploadValidatorHandler } from '../../src/handlers/upload-validator';
import { type AwsEmulators, BUCKET, type TestRuntime, openTestRuntime, s3CreatedEvent, startAwsEmulators } from './aws-handler-fixture';

let emulators: AwsEmulators;
let runtime: TestRuntime;

beforeAll(async () => {
  emulators = await startAwsEmulators();
  runtime = await openTestRuntime(emulators);
});
afterAll(async () => {
  runtime?.close();
  await emulators?.stop();
});

describe('S3 event keys', () => {
  test('are URL-decoded as S3 encodes them: + is a space, %XX a UTF-8 byte', () => {
    expect(decodeS3EventKey('inbox/My+Slides/a%2Bb+%28%C3%A9%29.png')).toBe('inbox/My Slides/a+b (é).png');
    expect(() => decodeS3EventKey('inbox/%E0%A4%A')).toThrow(RestainError);
    const event = s3CreatedEvent(BUCKET, [{ key: 'inbox/a b.png' }, { key: 'uploads/x' }]);
    event.Records.push({ ...event.Records[0], eventName: 'ObjectRemoved:Delete' });
    expect(createdObjectKeys(event, 'inbox/')).toEqual(['inbox/a b.png']);
  });
});

describe('upload validator handler', () => {
  test('bad bytes fail the job with the reason and end the event (no Lambda retry); unknown keys are removed', async () => {
    const jobId = randomUUID();
    const now = new Date().toISOString();
    await runtime.context.jobs.create({ id: jobId, owner: 'alice', source: 'jobs-api', state: 'created', options: { scale: { kind: 'auto' }, postprocess: { probThresh: 0.5 } as never, page: 0 }, createdAt: now, updatedAt: now, attempts: 0, results: [], displayName: 'notes.png' } as never);
    await runtime.context.objects.put(uploadKey(jobId), new TextEncoder().encode('this is not an image'));
    const stray = uploadKey(randomUUID());
    await runtime.context.objects.put(stray, new Uint8Array([1, 2, 3]));
    const logs: string[] = [];
    await createUploadValidatorHandler(() => runtime.context, (line) => logs.push(line))(s3CreatedEvent(BUCKET, [{ key: uploadKey(jobId) }, { key: stray }]));
    const record = (await runtime.context.jobs.get(jobId))!.record;
    expect(record.state).toBe('failed');
    expect(record.error?.code).toBe('UNSUPPORTED_FORMAT');
    expect(record.error?.message).toContain('notes.png');
    expect(await runtime.context.objects.head(uploadKey(jobId))).toBeUndefined();
    expect(await runtime.context.objects.head(stray)).toBeUndefined();
    expect(logs.map((line) => JSON.parse(line).event)).toEqual(['upload.refused', 'upload.accepted']);
  });
});

describe('drop-folder handler', () => {
  test('path tricks are refused and hidden or temporary files skipped: no job, nothing queued', async () => {
    const logs: string[] = [];
    const handler = createDropFolderHandler(() => runtime.context, () => 'ops', (line) => logs.push(line));
    const keys = ['inbox/../uploads/x.png', 'inbox/a/./b.png', 'inbox/a\\b.png', 'inbox/.hidden.png', 'inbox/scan.png.part', 'inbox/folder/'];
    // S3 accepts such keys (our adapter refuses to write them): the event is all the handler sees.
    await handler(s3CreatedEvent(BUCKET, keys.map((key) => ({ key }))));
    expect(logs.map((line) => JSON.parse(line).event)).toEqual(['drop.refused', 'drop.refused', 'drop.refused', 'drop.ignored', 'drop.ignored', 'drop.ignored']);
    expect(await runtime.context.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('a platform fault throws so Lambda retries the event', async () => {
    await runtime.context.objects.put('inbox/fault.png', new Uint8Array([1]));
    emulators.proxy.injectFault({ status: 500, code: 'InternalError', times: 1000, when: (request) => request.key.startsWith('drop-') || request.key.includes('drop') });
    const handler = createDropFolderHandler(() => runtime.context, () => 'ops', () => undefined);
    await expect(handler(s3CreatedEvent(BUCKET, [{ key: 'inbox/fault.png' }]))).rejects.toThrow(/Expected every object of the event to be handled but 1 failed \(retried\): inbox\/fault\.png/);
  });
});

describe('parseLambdaConfig', () => {
  const base = { [ENV.BUCKET]: 'restain-data', [ENV.QUEUE_URL]: 'https://sqs.eu-west-1.amazonaws.com/123456789012/restain-analysis' };
  test('reads the bucket, queue and API limits; every request needs a key; frozen', () => {
    const config = parseLambdaConfig({ ...base, [ENV.SYNC_MAX_PIXELS]: '2000x2000', [ENV.MAX_RECEIVES]: '5' });
    expect(config).toMatchObject({ bucket: 'restain-data', dropOwner: 'drop-folder', maxReceiveCount: 5, ecs: undefined, api: { requireApiKeys: true, syncMaxPixels: 4_000_000, tempDir: '/tmp/restain', syncTimeoutSeconds: 25 } });
    expect(Object.isFrozen(config) && Object.isFrozen(config.api)).toBe(true);
  });
  test.each([
    [{ [ENV.BUCKET]: '' }, 'Expected an S3 bucket name for RESTAIN_BUCKET but received ""'],
    [{ [ENV.QUEUE_URL]: 'restain-analysis' }, 'Expected an SQS queue URL for RESTAIN_QUEUE_URL but received "restain-analysis"'],
    [{ [ENV.ECS_CLUSTER]: 'restain' }, 'Expected both RESTAIN_ECS_CLUSTER and RESTAIN_ECS_SERVICE or neither but received only RESTAIN_ECS_CLUSTER'],
  ])('refuses %p', (change, message) => {
    expect(() => parseLambdaConfig({ ...base, ...change })).toThrow(new RestainError('INVALID_ARGUMENT', message));
  });
});
