import type { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../src/adapters/aws/s3-object-store';
import { expectRestainError } from '../../ports/expect-restain-error';
import { emulatorS3Client } from '../../../../test-support/aws-emulators/aws-clients';
import { type ConditionalWriteProxy, startConditionalWriteProxy } from '../../../../test-support/aws-emulators/conditional-write-proxy';
import { type S3rverProcess, startS3rver } from '../../../../test-support/aws-emulators/start-emulators';

// What the S3 adapter puts on the wire and how it reads S3's answers, checked at the
// conditional-write shim (which records every request) in front of s3rver on 127.0.0.1.
const BUCKET = 'restain-requests';
const PART = 5 * 1024 * 1024; // S3's minimum part size: multipart bodies stay small
let s3rver: S3rverProcess;
let proxy: ConditionalWriteProxy;
let client: S3Client;
let oneTryClient: S3Client;
let store: S3ObjectStore;
let base = '';
let run = 0;

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
async function textOf(found: Awaited<ReturnType<S3ObjectStore['get']>>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of found!.body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts).toString('utf8');
}
async function* chunks(total: number, size: number, fill: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += size) yield new Uint8Array(Math.min(size, total - sent)).fill(fill);
}
const requestsFor = (key: string) => proxy.requests.filter((request) => request.key === key);

beforeAll(async () => {
  s3rver = await startS3rver([BUCKET]);
  proxy = await startConditionalWriteProxy(s3rver.endpoint);
  client = emulatorS3Client(proxy.endpoint);
  oneTryClient = emulatorS3Client(proxy.endpoint, { maxAttempts: 1 });
  store = new S3ObjectStore(client, BUCKET, { partSizeBytes: PART });
});
afterAll(async () => {
  client?.destroy();
  oneTryClient?.destroy();
  await proxy?.stop();
  await s3rver?.stop();
});
beforeEach(() => {
  base = `requests-${run++}/`;
});

test('create-only sends If-None-Match: *, CAS sends If-Match with the etag, a plain put neither', async () => {
  const first = await store.put(`${base}a`, bytes('one'), { ifNoneMatch: '*', contentType: 'text/plain' });
  const second = await store.put(`${base}a`, bytes('two'), { ifMatch: first.etag });
  await store.put(`${base}a`, bytes('three'));
  const puts = requestsFor(`${base}a`).filter((request) => request.method === 'PUT');
  expect(puts.map((r) => [r.ifNoneMatch, r.ifMatch])).toEqual([['*', undefined], [undefined, first.etag], [undefined, undefined]]);
  expect(puts[0].contentType).toBe('text/plain');
  expect(first.etag).toMatch(/^"[0-9a-f]{32}"$/); // as S3 sends it: quoted
  expect(second.etag).not.toBe(first.etag);
  expect(second).toMatchObject({ key: `${base}a`, sizeBytes: 3 });
});

test('a streamed body above the part size goes up in parts; create-only is checked on CompleteMultipartUpload', async () => {
  const size = PART + 1000;
  const info = await store.put(`${base}big`, chunks(size, 256 * 1024, 7), { ifNoneMatch: '*' });
  expect(info.sizeBytes).toBe(size);
  const seen = requestsFor(`${base}big`);
  expect(seen.filter((r) => r.method === 'PUT' && r.query.includes('partNumber'))).toHaveLength(2);
  const complete = seen.filter((r) => r.method === 'POST' && r.query.includes('uploadId'));
  expect(complete).toEqual([expect.objectContaining({ ifNoneMatch: '*' })]);
  expect((await store.head(`${base}big`))?.sizeBytes).toBe(size);
  // A second create-only multipart write loses at completion, and its upload is aborted.
  await expectRestainError(store.put(`${base}big`, chunks(size, 256 * 1024, 9), { ifNoneMatch: '*' }), 'PRECONDITION_FAILED');
  expect(requestsFor(`${base}big`).filter((r) => r.method === 'DELETE' && r.query.includes('uploadId'))).toHaveLength(1);
  const kept = await store.get(`${base}big`);
  const firstChunk = (await kept!.body[Symbol.asyncIterator]().next()).value as Uint8Array;
  expect(firstChunk[0]).toBe(7);
});

test('a multipart CAS write carries If-Match on completion and loses to a newer etag', async () => {
  const v1 = await store.put(`${base}cas`, bytes('v1'));
  const v2 = await store.put(`${base}cas`, chunks(PART + 10, PART, 1), { ifMatch: v1.etag });
  expect(v2.etag).not.toBe(v1.etag);
  const complete = requestsFor(`${base}cas`).find((r) => r.method === 'POST' && r.query.includes('uploadId'));
  expect(complete?.ifMatch).toBe(v1.etag);
  await expectRestainError(store.put(`${base}cas`, chunks(PART + 10, PART, 2), { ifMatch: v1.etag }), 'PRECONDITION_FAILED');
  expect((await store.head(`${base}cas`))?.etag).toBe(v2.etag);
});

test('S3 errors become RestainErrors: 409 conflict, throttling, refusal, unreachable', async () => {
  proxy.injectFault({ status: 409, code: 'ConditionalRequestConflict', when: (r) => r.key === `${base}c` });
  const conflict = await expectRestainError(store.put(`${base}c`, bytes('x'), { ifNoneMatch: '*' }), 'PRECONDITION_FAILED');
  expect(conflict.message).toMatch(/ConditionalRequestConflict/);
  const oneTry = new S3ObjectStore(oneTryClient, BUCKET);
  proxy.injectFault({ status: 503, code: 'SlowDown', when: (r) => r.key === `${base}d` });
  expect((await expectRestainError(oneTry.put(`${base}d`, bytes('x')), 'UNAVAILABLE')).message).toMatch(/SlowDown \(HTTP 503\)/);
  proxy.injectFault({ status: 403, code: 'AccessDenied', when: (r) => r.key === `${base}e` });
  expect((await expectRestainError(oneTry.get(`${base}e`), 'INTERNAL')).message).toMatch(/AccessDenied.*lacks permission/);
  proxy.injectFault({ status: 503, code: 'SlowDown', times: 2, when: (r) => r.key === `${base}f` });
  await store.put(`${base}f`, bytes('retried')); // the SDK's own retries absorb brief throttling
  expect(await textOf(await store.get(`${base}f`))).toBe('retried');
  const nowhere = emulatorS3Client('http://127.0.0.1:9', { maxAttempts: 1 });
  try {
    await expectRestainError(new S3ObjectStore(nowhere, BUCKET).head(`${base}g`), 'UNAVAILABLE');
  } finally {
    nowhere.destroy();
  }
});

test('presigned PUT signs the content type and carries no checksum; presigned GET names the attachment', async () => {
  const key = `${base}uploads/slide 1.png`;
  const put = new URL(await store.presignPut(key, { expiresInSeconds: 120, contentType: 'image/png' }));
  expect(put.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toContain('content-type');
  expect(put.searchParams.get('X-Amz-Expires')).toBe('120');
  expect([...put.searchParams.keys()].filter((name) => /checksum/i.test(name))).toEqual([]);
  expect((await fetch(put, { method: 'PUT', body: 'PNG bytes', headers: { 'content-type': 'image/png' } })).status).toBe(200);
  expect(await store.head(key)).toMatchObject({ sizeBytes: 9, contentType: 'image/png' });
  const get = await store.presignGet(key, { expiresInSeconds: 60, downloadFilename: 'résultat "1".png' });
  const answer = await fetch(get);
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="r_sultat _1_.png"; filename*=UTF-8''r%C3%A9sultat%20%221%22.png`);
  expect(await answer.text()).toBe('PNG bytes');
  await expectRestainError(store.presignGet(key, { expiresInSeconds: 7 * 24 * 3600 + 1 }), 'INVALID_ARGUMENT');
  await expectRestainError(store.presignPut(key, { expiresInSeconds: 0 }), 'INVALID_ARGUMENT');
});

test('a key prefix confines the store to part of the bucket', async () => {
  const tenant = new S3ObjectStore(client, BUCKET, { keyPrefix: `${base}tenant/` });
  await tenant.put('inputs/x.png', bytes('x'));
  expect((await tenant.list('inputs/')).objects.map((o) => o.key)).toEqual(['inputs/x.png']);
  expect((await store.list(base)).objects.map((o) => o.key)).toEqual([`${base}tenant/inputs/x.png`]);
  expect(new URL(await tenant.presignGet('inputs/x.png', { expiresInSeconds: 60 })).pathname).toBe(`/${BUCKET}/${base}tenant/inputs/x.png`);
  expect(() => new S3ObjectStore(client, BUCKET, { keyPrefix: '../' })).toThrow(/key prefix/);
  expect(() => new S3ObjectStore(client, BUCKET, { partSizeBytes: 1024 })).toThrow(/partSizeBytes/);
});
