import { createApiKey, listApiKeys, revokeApiKey } from '../../src/api/auth/api-keys';
import { KEY_CACHE_TTL_MS } from '../../src/api/auth/authenticate';
import { imageForm, requestJson } from '../support/http-client';
import { type TestServer, startTestServer } from '../support/start-test-server';
import { syntheticPng } from '../support/test-images';

let png: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  png = await syntheticPng();
});

describe('keys required (bound beyond loopback)', () => {
  let server: TestServer;
  let keyA: { id: string; key: string };
  let keyB: { id: string; key: string };

  beforeAll(async () => {
    server = await startTestServer({ config: { requireApiKeys: true } });
    keyA = await createApiKey(server.objects, 'lab A');
    keyB = await createApiKey(server.objects, 'lab B');
  });
  afterAll(() => server.stop());

  test('keys are rk_ + 43 base64url characters, stored only as their sha256', async () => {
    expect(keyA.key).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    const stored = await server.objects.list('api-keys/');
    expect(stored.objects.map((object) => object.key)).toHaveLength(2);
    for (const object of stored.objects) expect(object.key).toMatch(/^api-keys\/[0-9a-f]{64}\.json$/);
    const listed = await listApiKeys(server.objects);
    expect(listed.map((record) => record.name).sort()).toEqual(['lab A', 'lab B']);
    expect(JSON.stringify(listed)).not.toContain(keyA.key);
  });

  test('no key, a malformed header or an unknown key: 401 with WWW-Authenticate', async () => {
    for (const authorization of [undefined, 'Basic abc', `Bearer rk_${'A'.repeat(43)}`, 'Bearer nonsense']) {
      const answer = await requestJson(`${server.url}/api/jobs`, { headers: authorization ? { authorization } : {} });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      expect(answer.headers.get('www-authenticate')).toContain('Bearer');
    }
    // DeepLIIF endpoints are closed too unless the operator opened them.
    expect((await requestJson(`${server.url}/api/batch/infer`, { method: 'POST', body: imageForm(png, {}, 'img') })).status).toBe(401);
    // Public routes need no key.
    expect((await requestJson(`${server.url}/api/health`)).status).toBe(200);
  });

  test('each key sees only its own jobs: another key gets 404 and an empty list', async () => {
    const created = await requestJson(`${server.url}/api/jobs`, { method: 'POST', key: keyA.key, body: imageForm(png) });
    expect(created.status).toBe(201);
    const jobId = created.body.job.id;
    expect((await requestJson(`${server.url}/api/jobs/${jobId}`, { key: keyA.key })).status).toBe(200);
    for (const suffix of ['', '/results', '/results.zip', '/files/scoring.json']) {
      const answer = await requestJson(`${server.url}/api/jobs/${jobId}${suffix}`, { key: keyB.key });
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('NOT_FOUND');
    }
    expect((await requestJson(`${server.url}/api/jobs/${jobId}`, { method: 'DELETE', key: keyB.key })).status).toBe(404);
    expect((await requestJson(`${server.url}/api/jobs/${jobId}/feedback`, { method: 'POST', key: keyB.key, json: { text: 'mine?' } })).status).toBe(404);
    expect((await requestJson(`${server.url}/api/jobs`, { key: keyB.key })).body.jobs).toEqual([]);
    expect((await requestJson(`${server.url}/api/jobs`, { key: keyA.key })).body.jobs.map((job: { id: string }) => job.id)).toEqual([jobId]);
    expect((await server.context.jobs.get(jobId))?.record.owner).toBe(keyA.id);
  });

  test('a revoked key that was never cached is refused at once', async () => {
    const key = await createApiKey(server.objects, 'short-lived');
    expect(await revokeApiKey(server.objects, key.id)).toBe(true);
    expect(await revokeApiKey(server.objects, key.id)).toBe(false);
    expect((await requestJson(`${server.url}/api/jobs`, { key: key.key })).status).toBe(401);
  });
});

describe('anonymous DeepLIIF use (operator opened it)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { requireApiKeys: true, anonymousDeepliif: true, rateLimitPerMinute: 3 } });
  });
  afterAll(() => server.stop());

  test('DeepLIIF endpoints work without a key; the jobs API does not; anonymous jobs are never listed', async () => {
    const submitted = await requestJson(`${server.url}/api/batch/infer?resolution=40x`, { method: 'POST', body: imageForm(png, {}, 'img') });
    expect(submitted.status).toBe(200);
    const taskId = submitted.body.task_id;
    expect(typeof taskId).toBe('string');
    const status = await requestJson(`${server.url}/api/batch/infer/${taskId}`);
    expect(status.status).toBe(200);
    expect(['PENDING', 'STARTED']).toContain(status.body.state);
    expect((await requestJson(`${server.url}/api/jobs`)).status).toBe(401);
    expect((await requestJson(`${server.url}/api/jobs/${taskId}`)).status).toBe(401);
    const key = await createApiKey(server.objects, 'someone');
    expect((await requestJson(`${server.url}/api/jobs`, { key: key.key })).body.jobs).toEqual([]);
    expect((await requestJson(`${server.url}/api/jobs/${taskId}`, { key: key.key })).status).toBe(404);
  });

  test('anonymous callers are rate-limited per address: 429 with Retry-After', async () => {
    // The bucket holds 3 per minute; the previous test spent 2 from this address.
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await requestJson(`${server.url}/api/batch/infer/00000000-0000-4000-8000-000000000000`));
    const limited = answers.find((answer) => answer.status === 429);
    expect(limited).toBeDefined();
    expect(limited?.body.error.code).toBe('RATE_LIMITED');
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('per-key rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ config: { requireApiKeys: true, rateLimitPerMinute: 2 } });
  });
  afterAll(() => server.stop());

  test('one key is limited without affecting another', async () => {
    const a = await createApiKey(server.objects, 'a');
    const b = await createApiKey(server.objects, 'b');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await requestJson(`${server.url}/api/jobs`, { key: a.key })).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await requestJson(`${server.url}/api/jobs`, { key: b.key })).status).toBe(200);
  });
});

describe('revocation of a key in use', () => {
  let server: TestServer;
  let offsetMs = 0;
  beforeAll(async () => {
    server = await startTestServer({ config: { requireApiKeys: true }, now: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(() => server.stop());

  test('takes effect within the key cache time', async () => {
    const key = await createApiKey(server.objects, 'in use');
    expect((await requestJson(`${server.url}/api/jobs`, { key: key.key })).status).toBe(200);
    await revokeApiKey(server.objects, key.id);
    expect((await requestJson(`${server.url}/api/jobs`, { key: key.key })).status).toBe(200);
    offsetMs = KEY_CACHE_TTL_MS + 1;
    expect((await requestJson(`${server.url}/api/jobs`, { key: key.key })).status).toBe(401);
  });
});
