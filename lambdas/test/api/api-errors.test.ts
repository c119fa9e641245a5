import { RestainError } from '@restain/shared';
import { createApiApp } from '../../src/api/app';
import { json } from '../../src/api/http-types';
import type { RouteSpec } from '../../src/api/route-spec';
import { imageForm, requestJson } from '../support/http-client';
import { makeTestContext } from '../support/make-test-context';
import { type TestServer, startTestServer } from '../support/start-test-server';
import { syntheticPng } from '../support/test-images';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ config: { maxUploadBytes: 200_000, jobMaxPixels: 200 * 200 } });
});
afterAll(() => server.stop());

function expectError(answer: { status: number; body: any; headers: Headers }, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
  expect(typeof answer.body.error.message).toBe('string');
  expect(answer.body.error.message.length).toBeGreaterThan(10);
  expect(answer.headers.get('content-type')).toContain('application/json');
  expect(answer.headers.get('x-request-id')).toBe(answer.body.error.requestId);
}

describe('structured errors over HTTP', () => {
  test('400 names the bad field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ resolution: '15x' }, 'resolution'],
      [{ seg_thresh: 255 }, 'seg_thresh'],
      [{ seg_thresh: '12.5' }, 'seg_thresh'],
      [{ size_thresh: -1 }, 'size_thresh'],
      [{ size_thresh_upper: 0 }, 'size_thresh_upper'],
      [{ marker_thresh: 'sometimes' }, 'marker_thresh'],
      [{ pixel_size: 0 }, 'pixel_size'],
      [{ resolution: '20x', pixel_size: 0.5 }, 'pixel_size'],
      [{ seg_threshold: 100 }, 'seg_threshold'],
      [{ filename: 12 }, 'filename'],
    ];
    for (const [body, field] of cases) {
      const answer = await requestJson(`${server.url}/api/jobs`, { method: 'POST', json: body });
      expectError(answer, 400, 'INVALID_ARGUMENT');
      expect(answer.body.error.message).toContain(field);
    }
    const notJson = await requestJson(`${server.url}/api/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resolution":' });
    expectError(notJson, 400, 'INVALID_ARGUMENT');
    const array = await requestJson(`${server.url}/api/jobs`, { method: 'POST', json: [1] });
    expectError(array, 400, 'INVALID_ARGUMENT');
    const noFile = await requestJson(`${server.url}/api/jobs`, { method: 'POST', body: imageForm(new Uint8Array(10), {}, 'img') });
    expectError(noFile, 400, 'INVALID_ARGUMENT');
  });

  test('404 for unknown paths and unknown or malformed job ids', async () => {
    expectError(await requestJson(`${server.url}/api/nothing`), 404, 'NOT_FOUND');
    expectError(await requestJson(`${server.url}/api/jobs/`), 404, 'NOT_FOUND');
    expectError(await requestJson(`${server.url}/api/jobs/not-a-uuid`), 404, 'NOT_FOUND');
    expectError(await requestJson(`${server.url}/api/jobs/4b1e1c9e-1111-4222-8333-444455556666`), 404, 'NOT_FOUND');
  });

  test('405 lists the allowed methods', async () => {
    const answer = await requestJson(`${server.url}/api/jobs`, { method: 'PUT' });
    expectError(answer, 405, 'METHOD_NOT_ALLOWED');
    expect(answer.headers.get('allow')).toBe('POST, GET');
    expect((await requestJson(`${server.url}/api/health`, { method: 'DELETE' })).headers.get('allow')).toBe('GET');
  });

  test('409 for results of a job that has not run', async () => {
    const created = await requestJson(`${server.url}/api/jobs`, { method: 'POST', json: {} });
    expect(created.body.job.state).toBe('created');
    expectError(await requestJson(`${server.url}/api/jobs/${created.body.job.id}/results.zip`), 409, 'CONFLICT');
    expectError(await requestJson(`${server.url}/api/jobs/${created.body.job.id}/rescore`, { method: 'POST', json: {} }), 409, 'CONFLICT');
  });

  test('413 for bodies over the limits, by Content-Length or while streaming', async () => {
    const big = new Uint8Array(300_000);
    expectError(await requestJson(`${server.url}/api/jobs`, { method: 'POST', body: imageForm(big) }), 413, 'PAYLOAD_TOO_LARGE');
    const feedback = await requestJson(`${server.url}/api/jobs`, { method: 'POST', json: { filename: 'x'.repeat(70_000) } });
    expectError(feedback, 413, 'PAYLOAD_TOO_LARGE');
    // An image within the byte limit but over the pixel limit (200 x 200).
    const wide = await requestJson(`${server.url}/api/jobs`, { method: 'POST', body: imageForm(await syntheticPng(320, 256)) });
    expectError(wide, 413, 'IMAGE_TOO_LARGE');
  });

  test('415 for unknown content types and images of unknown formats', async () => {
    expectError(await requestJson(`${server.url}/api/jobs`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expectError(await requestJson(`${server.url}/api/jobs`, { method: 'POST', body: 'x' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    const text = new TextEncoder().encode('just some text, not an image at all '.repeat(10));
    expectError(await requestJson(`${server.url}/api/jobs`, { method: 'POST', body: imageForm(text) }), 415, 'UNSUPPORTED_FORMAT');
  });

  test('422 for a corrupt image; the job is failed with the reason', async () => {
    const png = await syntheticPng(64, 64, 3);
    const truncated = png.slice(0, Math.floor(png.length / 2));
    const answer = await requestJson(`${server.url}/api/jobs`, { method: 'POST', body: imageForm(truncated) });
    expectError(answer, 422, 'CORRUPT_IMAGE');
    const failed = (await requestJson(`${server.url}/api/jobs?limit=1`)).body.jobs[0];
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'CORRUPT_IMAGE' } });
  });

  test('the server stays up and logged nothing unexpected', async () => {
    expect((await requestJson(`${server.url}/api/health`)).body.status).toBe('ok');
    expect(server.logged).toEqual([]);
  });
});

describe('createApiApp', () => {
  const test_ = makeTestContext();
  afterAll(() => test_.close());
  const request = (path: string) => ({
    method: 'GET',
    path,
    query: new URLSearchParams(),
    headers: {},
    body: (async function* () {})(),
    clientAddress: '127.0.0.1',
    signal: new AbortController().signal,
  });

  test('a bug becomes a generic 500 with the request id, logged once with the stack', async () => {
    const logged: string[] = [];
    const routes: RouteSpec[] = [
      { method: 'GET', path: '/api/boom', access: 'public', handler: async () => { throw new TypeError('secret detail'); }, doc: {} as RouteSpec['doc'] },
      { method: 'GET', path: '/api/busy', access: 'public', handler: async () => { throw new RestainError('UNAVAILABLE', 'queue is down'); }, doc: {} as RouteSpec['doc'] },
      { method: 'GET', path: '/api/ok', access: 'public', handler: async () => json(200, { ok: true }, { 'cache-control': 'max-age=5' }), doc: {} as RouteSpec['doc'] },
    ];
    const app = createApiApp(test_.context, { routes, log: (line) => logged.push(line) });
    const boom = await app(request('/api/boom'));
    expect(boom.status).toBe(500);
    const body = JSON.parse(boom.body as string);
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.message).not.toContain('secret');
    expect(body.error.message).toContain(boom.headers?.['x-request-id']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(boom.headers?.['x-request-id']);
    expect(logged[0]).toContain('secret detail');
    const busy = await app(request('/api/busy'));
    expect(busy.status).toBe(503);
    expect(JSON.parse(busy.body as string).error).toMatchObject({ code: 'UNAVAILABLE', message: 'queue is down' });
    const ok = await app(request('/api/ok'));
    expect(ok.headers).toMatchObject({ 'cache-control': 'max-age=5', 'x-frame-options': 'DENY' });
  });
});
