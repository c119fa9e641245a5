import { uploadKey } from '@restain/shared';
import { requestJson } from '../support/http-client';
import { type TestServer, startTestServer } from '../support/start-test-server';
import { syntheticPng } from '../support/test-images';

let server: TestServer;
let offsetMs = 0;
let png: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  server = await startTestServer({ config: { maxUploadBytes: 500_000 }, now: () => new Date(Date.now() + offsetMs) });
  png = await syntheticPng();
});
afterAll(() => server.stop());
afterEach(() => {
  offsetMs = 0;
});

async function createForUpload(filename = 'slide.png') {
  const answer = await requestJson(`${server.url}/api/jobs`, { method: 'POST', json: { filename, resolution: '20x' } });
  expect(answer.status).toBe(201);
  return answer.body as { job: { id: string; state: string; uploadExpiresAt: string }; upload: { url: string; method: string; expiresAt: string } };
}

const put = (url: string, body: Uint8Array<ArrayBuffer> | string) => fetch(url, { method: 'PUT', body });

describe('create-then-upload through a signed URL', () => {
  test('JSON create answers a signed PUT URL; the upload validates and queues the job', async () => {
    const { job, upload } = await createForUpload('Slide 7.png');
    expect(job.state).toBe('created');
    expect(upload.method).toBe('PUT');
    expect(upload.url.startsWith(`${server.url}/api/objects/${uploadKey(job.id)}?`)).toBe(true);
    expect(upload.expiresAt).toBe(job.uploadExpiresAt);
    expect(Date.parse(upload.expiresAt) - Date.now()).toBeGreaterThan(800_000);

    const stored = await put(upload.url, png);
    expect(stored.status).toBe(200);
    const status = (await requestJson(`${server.url}/api/jobs/${job.id}`)).body.job;
    expect(status).toMatchObject({ state: 'queued', displayName: 'Slide 7.png', uploadExpiresAt: null, parameters: { resolution: '20x' } });
    expect(status.input).toMatchObject({ width: 320, height: 256 });
    // The raw upload is gone once taken in; a second PUT to the same URL is refused (create-only).
    expect(await server.objects.head(uploadKey(job.id))).toBeUndefined();
  });

  test('a second upload to the same URL is refused with 412 while the first is kept', async () => {
    const { job, upload } = await createForUpload();
    const first = await put(upload.url, png);
    expect(first.status).toBe(200);
    const queued = (await requestJson(`${server.url}/api/jobs/${job.id}`)).body.job;
    await server.objects.put(uploadKey(job.id), new Uint8Array([1]));
    const second = await put(upload.url, png);
    expect(second.status).toBe(412);
    expect((await second.json()).error.code).toBe('PRECONDITION_FAILED');
    expect((await requestJson(`${server.url}/api/jobs/${job.id}`)).body.job.input.sha256).toBe(queued.input.sha256);
  });

  test('tampered, wrong-key, wrong-method and expired URLs are rejected with 401', async () => {
    const { job, upload } = await createForUpload();
    const url = new URL(upload.url);
    const tampered = new URL(url);
    const signature = tampered.searchParams.get('signature') as string;
    tampered.searchParams.set('signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
    expect((await put(tampered.toString(), png)).status).toBe(401);
    const longer = new URL(url);
    longer.searchParams.set('expires', String(Number(url.searchParams.get('expires')) + 3600));
    expect((await put(longer.toString(), png)).status).toBe(401);
    const otherKey = new URL(url.toString().replace(job.id, '00000000-0000-4000-8000-000000000000'));
    expect((await put(otherKey.toString(), png)).status).toBe(401);
    expect((await fetch(url)).status).toBe(401); // signed for PUT, used for GET
    offsetMs = 901_000;
    const expired = await put(upload.url, png);
    expect(expired.status).toBe(401);
    expect((await expired.json()).error.message).toContain('expired');
    offsetMs = 0;
    expect((await requestJson(`${server.url}/api/jobs/${job.id}`)).body.job.state).toBe('created');
  });

  test('an upload over the size limit is 413 and stores nothing', async () => {
    const { job, upload } = await createForUpload();
    const answer = await put(upload.url, new Uint8Array(600_000));
    expect(answer.status).toBe(413);
    expect(await server.objects.head(uploadKey(job.id))).toBeUndefined();
    expect((await requestJson(`${server.url}/api/jobs/${job.id}`)).body.job.state).toBe('created');
  });

  test('an upload that is not an image is stored, then fails the job with the reason (as S3 + validator would)', async () => {
    const { job, upload } = await createForUpload();
    expect((await put(upload.url, 'not an image, just text that goes on for a while')).status).toBe(200);
    const status = (await requestJson(`${server.url}/api/jobs/${job.id}`)).body.job;
    expect(status).toMatchObject({ state: 'failed', error: { code: 'UNSUPPORTED_FORMAT' } });
  });
});
