import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_POSTPROCESS_OPTIONS, type JobRecord, inputKey, resultPrefix, uploadKey } from '@restain/shared';
import { loadOrCreateSigningSecret, parsePlatformEnv } from '../../src/local-platform/config';
import { acquireInstanceLock } from '../../src/local-platform/instance-lock';
import { sweepOnce } from '../../src/local-platform/retention-sweeper';
import { type TestContext, makeTestContext } from '../support/make-test-context';

const DAY = 86_400;
const bytes = new TextEncoder().encode('x');

function record(id: string, patch: Partial<JobRecord>): JobRecord {
  return {
    id,
    owner: 'local',
    source: 'jobs-api',
    state: 'succeeded',
    options: { scale: { kind: 'auto' }, postprocess: DEFAULT_POSTPROCESS_OPTIONS, page: 0 },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    attempts: 1,
    results: [],
    ...patch,
  };
}

describe('retention sweep', () => {
  let test: TestContext;
  const now = new Date('2026-01-20T00:00:00.000Z');
  afterEach(() => test.close());

  it('expires finished jobs past expiresAt with all their files, keeps the others, fails abandoned uploads', async () => {
    test = makeTestContext();
    const { jobs, objects } = test.context;
    const old = '11111111-1111-4111-8111-111111111111';
    const fresh = '22222222-2222-4222-8222-222222222222';
    const abandoned = '33333333-3333-4333-8333-333333333333';
    await jobs.create(record(old, { finishedAt: '2026-01-08T00:00:00.000Z', expiresAt: '2026-01-15T00:00:00.000Z' }));
    await jobs.create(record(fresh, { createdAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-19T00:00:00.000Z', expiresAt: '2026-01-26T00:00:00.000Z' }));
    await jobs.create(record(abandoned, { state: 'created', uploadExpiresAt: '2026-01-19T23:00:00.000Z', createdAt: '2026-01-19T22:45:00.000Z' }));
    for (const id of [old, fresh]) {
      await objects.put(inputKey(id), bytes);
      await objects.put(`${resultPrefix(id, 1)}scoring.json`, bytes);
      await objects.put(`${resultPrefix(id, 2)}scoring.json`, bytes);
    }
    await objects.put(uploadKey(abandoned), bytes);
    const log: string[] = [];
    const report = await sweepOnce({ jobs, objects, retentionSeconds: 7 * DAY, now: () => now, log: (line) => log.push(line) });
    expect(report).toEqual({ expired: 1, forgotten: 0, abandonedUploads: 1 });
    expect((await jobs.get(old))?.record.state).toBe('expired');
    expect((await objects.list(`inputs/${old}/`)).objects).toEqual([]);
    expect((await objects.list(`results/${old}/`)).objects).toEqual([]);
    expect((await jobs.get(fresh))?.record.state).toBe('succeeded');
    expect((await objects.list(`results/${fresh}/`)).objects).toHaveLength(2);
    const failed = (await jobs.get(abandoned))?.record;
    expect(failed?.state).toBe('failed');
    expect(failed?.error?.code).toBe('EXPIRED_UPLOAD');
    expect(await objects.head(uploadKey(abandoned))).toBeUndefined();
    // An expired record is forgotten one retention period later.
    const later = await sweepOnce({ jobs, objects, retentionSeconds: 7 * DAY, now: () => new Date('2026-01-21T00:00:00.000Z'), log: () => undefined });
    expect(later.forgotten).toBe(0);
    const forgotten = await sweepOnce({ jobs, objects, retentionSeconds: 7 * DAY, now: () => new Date('2026-01-23T00:00:00.000Z'), log: () => undefined });
    expect(forgotten.forgotten).toBe(1);
    expect(await jobs.get(old)).toBeUndefined();
  });
});

describe('platform config', () => {
  it('applies the defaults: loopback without keys, one worker per 2 cores, DeepLIIF pixel limit', () => {
    const config = parsePlatformEnv({}, 8, '/srv');
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: '/srv/data', stateDir: '/srv/data/state', workers: 4, engineThreads: 2, maxReceiveCount: 3 });
    expect(config.api).toMatchObject({ requireApiKeys: false, syncMaxPixels: 9_000_000, jobMaxPixels: 100_000_000, retentionSeconds: 7 * DAY });
    expect(parsePlatformEnv({}, 1, '/srv').workers).toBe(1);
  });

  it('requires keys off loopback and reads sizes as WxH or pixel counts', () => {
    const config = parsePlatformEnv({ RESTAIN_HOST: '0.0.0.0', RESTAIN_SYNC_MAX_PIXELS: '2000x1000', RESTAIN_JOB_MAX_PIXELS: '500', RESTAIN_ANONYMOUS_DEEPLIIF: 'true' }, 2, '/srv');
    expect(config.api).toMatchObject({ requireApiKeys: true, syncMaxPixels: 2_000_000, jobMaxPixels: 500, anonymousDeepliif: true });
    expect(config.publicUrl).toBeUndefined();
    expect(parsePlatformEnv({ RESTAIN_HOST: '0.0.0.0', RESTAIN_PUBLIC_URL: 'https://restain.example.org' }, 2, '/srv').publicUrl).toBe('https://restain.example.org');
  });

  it.each([
    [{ PORT: '70000' }, /PORT/],
    [{ RESTAIN_WORKERS: 'two' }, /RESTAIN_WORKERS/],
    [{ RESTAIN_ANONYMOUS_DEEPLIIF: 'maybe' }, /true or false/],
    [{ RESTAIN_SYNC_MAX_PIXELS: '3000 by 3000' }, /pixel limit/],
    [{ RESTAIN_RETENTION_DAYS: '-1' }, /positive number/],
    [{ RESTAIN_PUBLIC_URL: 'restain.example.org/app' }, /RESTAIN_PUBLIC_URL/],
  ])('refuses %j with a message naming it', (env, message) => {
    expect(() => parsePlatformEnv(env, 2, '/srv')).toThrow(message);
  });

  it('keeps one signing secret per data folder, readable only by its owner', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'restain-secret-'));
    try {
      const secret = loadOrCreateSigningSecret(dir);
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(loadOrCreateSigningSecret(dir)).toBe(secret);
      expect(statSync(path.join(dir, 'signing-secret')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('instance lock', () => {
  it('refuses a live holder and takes over a lock left by a dead process', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'restain-lock-'));
    try {
      const lock = acquireInstanceLock(dir, '/data');
      expect(readFileSync(lock.file, 'utf8').trim()).toBe(String(process.pid));
      writeFileSync(lock.file, `${process.ppid}\n`);
      expect(() => acquireInstanceLock(dir, '/data')).toThrow(/Another Restain platform \(pid \d+\) is already running on \/data/);
      writeFileSync(lock.file, '2147483646\n'); // no such process
      const taken = acquireInstanceLock(dir, '/data');
      expect(readFileSync(taken.file, 'utf8').trim()).toBe(String(process.pid));
      taken.release();
      expect(() => statSync(taken.file)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
