import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { RestainError, inputKey, markUploaded, updateJob } from '@restain/shared';
import { acceptUpload } from '../../src/jobs/accept-upload';
import { validateUpload } from '../../src/uploads/validate-upload';
import { type LocalTestContext, makeLocalContext, newJob, writeIhcPng } from '../results/local-test-context';

let local: LocalTestContext;
let image: string;

beforeAll(async () => {
  local = makeLocalContext();
  image = await writeIhcPng(path.join(local.dir, 'ihc.png'), { width: 96, height: 64 });
});
afterAll(() => local.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function queuedMessages(): Promise<string[]> {
  const messages = await local.context.queue.receive({ waitTimeSeconds: 0, maxMessages: 10, visibilityTimeoutSeconds: 1 });
  for (const message of messages) await local.context.queue.changeVisibility(message.receiptHandle, 0);
  return messages.map((message) => message.body);
}

async function drainQueue(): Promise<void> {
  for (const message of await local.context.queue.receive({ waitTimeSeconds: 0, maxMessages: 10 })) await local.context.queue.delete(message.receiptHandle);
}

beforeEach(drainQueue);

describe('acceptUpload', () => {
  it('validates, stores the input PNG, queues one message and marks the job queued', async () => {
    const job = await newJob(local.context);
    const record = await acceptUpload(local.context, job.id, { path: image, displayName: '../secret/Slide 7.png' }, { maxPixels: 10_000 });
    expect(record.state).toBe('queued');
    expect(record.queuedAt).toBeDefined();
    expect(record.input).toMatchObject({ key: inputKey(job.id), displayName: 'Slide 7.png', format: 'png', width: 96, height: 64 });
    const stored = fs.readFileSync(local.objects.localPath(inputKey(job.id)));
    expect(record.input?.sha256).toBe(sha256(stored));
    expect(record.input?.sizeBytes).toBe(stored.length);
    expect(await queuedMessages()).toEqual([JSON.stringify({ jobId: job.id })]);
    expect((await local.context.jobs.get(job.id))?.record.state).toBe('queued');
  });

  it('is idempotent: a second delivery sends no second message and keeps the record', async () => {
    const job = await newJob(local.context);
    const first = await acceptUpload(local.context, job.id, { path: image }, { maxPixels: 10_000 });
    const second = await acceptUpload(local.context, job.id, { path: image }, { maxPixels: 10_000 });
    expect(second).toEqual(first);
    expect(await queuedMessages()).toHaveLength(1);
  });

  it('finishes a job left uploaded by a crash: sends the message and marks it queued', async () => {
    const job = await newJob(local.context);
    // What a crash between markUploaded and send leaves: the input stored, the record uploaded.
    const png = path.join(local.context.config.tempDir, 'crashed.png');
    const validated = await validateUpload(image, { maxPixels: 10_000, outPath: png });
    await local.objects.put(inputKey(job.id), fs.readFileSync(png), { ifNoneMatch: '*' });
    const input = { key: inputKey(job.id), displayName: 'image', ...validated };
    await updateJob(local.context.jobs, job.id, (record) => markUploaded(record, input, new Date()));
    const record = await acceptUpload(local.context, job.id, { path: '/nonexistent/upload' }, { maxPixels: 10_000 });
    expect(record.state).toBe('queued');
    expect(await queuedMessages()).toEqual([JSON.stringify({ jobId: job.id })]);
  });

  it('accepts an input already stored with the same bytes (a repeated event) and refuses different bytes', async () => {
    const same = await newJob(local.context);
    const png = path.join(local.context.config.tempDir, 'same.png');
    await validateUpload(image, { maxPixels: 10_000, outPath: png });
    await local.objects.put(inputKey(same.id), fs.readFileSync(png), { ifNoneMatch: '*' });
    expect((await acceptUpload(local.context, same.id, { path: image }, { maxPixels: 10_000 })).state).toBe('queued');

    const other = await newJob(local.context);
    await local.objects.put(inputKey(other.id), Buffer.from('a different image'), { ifNoneMatch: '*' });
    const error = await acceptUpload(local.context, other.id, { path: image }, { maxPixels: 10_000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CONFLICT', httpStatus: 409 });
    expect((await local.context.jobs.get(other.id))?.record.state).toBe('created');
  });

  it('fails the job once with the reason on bad input, rethrows, and queues nothing', async () => {
    const job = await newJob(local.context);
    const text = path.join(local.dir, 'upload-1');
    fs.writeFileSync(text, 'not an image at all\n');
    const before = Date.now();
    const error = await acceptUpload(local.context, job.id, { path: text, displayName: 'notes.png' }, { maxPixels: 10_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RestainError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_FORMAT', httpStatus: 415, message: 'notes.png is not an image: it starts with text (PNG, JPEG, TIFF or WebP expected)' });
    const record = (await local.context.jobs.get(job.id))!.record;
    expect(record.state).toBe('failed');
    expect(record.error).toEqual({ code: 'UNSUPPORTED_FORMAT', message: (error as Error).message });
    const expiresIn = Date.parse(record.expiresAt!) - before;
    expect(expiresIn).toBeGreaterThanOrEqual(local.context.config.retentionSeconds * 1000 - 5000);
    expect(expiresIn).toBeLessThanOrEqual(local.context.config.retentionSeconds * 1000 + 5000);
    expect(await local.objects.head(inputKey(job.id))).toBeUndefined();
    expect(await queuedMessages()).toEqual([]);
    // A repeated delivery of the bad upload changes nothing.
    expect((await acceptUpload(local.context, job.id, { path: text }, { maxPixels: 10_000 })).state).toBe('failed');
    expect(await queuedMessages()).toEqual([]);
  });

  it('fails the job with IMAGE_TOO_LARGE above the pixel limit', async () => {
    const job = await newJob(local.context);
    const error = await acceptUpload(local.context, job.id, { path: image, displayName: 'big.png' }, { maxPixels: 5000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'IMAGE_TOO_LARGE', httpStatus: 413 });
    expect((error as Error).message).toMatch(/^big\.png is 96x64 px \(6144 pixels\), above the limit of 5000 pixels/);
    expect((await local.context.jobs.get(job.id))!.record).toMatchObject({ state: 'failed', error: { code: 'IMAGE_TOO_LARGE' } });
  });

  it('answers NOT_FOUND for an unknown job and leaves a missing upload file as a platform error (job not failed)', async () => {
    await expect(acceptUpload(local.context, '5b0c7c44-5f49-4d7e-9d3c-1f2a3b4c5d6e', { path: image }, { maxPixels: 10_000 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const job = await newJob(local.context);
    await expect(acceptUpload(local.context, job.id, { path: path.join(local.dir, 'gone') }, { maxPixels: 10_000 })).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    expect((await local.context.jobs.get(job.id))!.record.state).toBe('created');
  });
});
