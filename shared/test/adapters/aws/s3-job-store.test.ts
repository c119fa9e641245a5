import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../src/adapters/aws/s3-object-store';
import { S3JobStore } from '../../../src/adapters/aws/s3-job-store';
import type { JobRecord } from '../../../src/jobs/job-record';
import { markFailed, markQueued, markRequeued, markRunning, markUploaded } from '../../../src/jobs/job-transitions';
import { updateJob } from '../../../src/jobs/update-job';
import type { ObjectStore } from '../../../src/ports/object-store';
import { describeJobStoreContract } from '../../ports/job-store-contract';
import { expectRestainError } from '../../ports/expect-restain-error';
import { makeJobRecord } from '../../jobs/make-job-record';
import { emulatorS3Client } from '../../../../test-support/aws-emulators/aws-clients';
import { type ConditionalWriteProxy, startConditionalWriteProxy } from '../../../../test-support/aws-emulators/conditional-write-proxy';
import { type S3rverProcess, startS3rver } from '../../../../test-support/aws-emulators/start-emulators';

const BUCKET = 'restain-jobs';
let s3rver: S3rverProcess;
let proxy: ConditionalWriteProxy;
let client: S3Client;
let run = 0;

beforeAll(async () => {
  s3rver = await startS3rver([BUCKET]);
  proxy = await startConditionalWriteProxy(s3rver.endpoint);
  client = emulatorS3Client(proxy.endpoint);
});
afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await s3rver?.stop();
});

// Every contract case runs against S3JobStore on S3ObjectStore -> conditional-write shim -> s3rver:
// record creates and replaces are S3 conditional writes, enforced by the shim.
describeJobStoreContract('S3JobStore (S3ObjectStore -> conditional-write shim -> s3rver)', async () => {
  const objects = new S3ObjectStore(client, BUCKET, { keyPrefix: `contract-${run++}/` });
  return { store: new S3JobStore(objects), cleanup: async () => undefined };
});

describe('S3JobStore (layout and index upkeep)', () => {
  const INPUT = { key: 'inputs/x/input.png', displayName: 'x.png', format: 'png', width: 10, height: 10, sizeBytes: 100, sha256: 'ab' };
  const T0 = new Date(Date.UTC(2025, 0, 1));
  const later = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
  let prefix: string;
  let objects: S3ObjectStore;
  let store: S3JobStore;
  beforeEach(() => {
    prefix = `upkeep-${run++}/`;
    objects = new S3ObjectStore(client, BUCKET, { keyPrefix: prefix });
    store = new S3JobStore(objects);
  });
  const queuedJob = (owner = 'alice'): JobRecord => markQueued(markUploaded(makeJobRecord({ owner, createdAt: T0.toISOString() }), INPUT, later(1)), later(2));
  const indexKeys = async (): Promise<string[]> => (await objects.list('job-index/')).objects.map((o) => o.key);
  const expectedKeys = (record: JobRecord): string[] => {
    const ms = (iso: string) => String(Date.parse(iso)).padStart(13, '0');
    const owner = createHash('sha256').update(record.owner).digest('hex').slice(0, 32);
    return [
      `job-index/owner/${owner}/${String(9_999_999_999_999 - Date.parse(record.createdAt)).padStart(13, '0')}-${record.id}`,
      ...(record.state === 'queued' ? [`job-index/queued/${ms(record.queuedAt!)}-${record.id}`] : []),
      `job-index/state/${record.state}/${ms(record.createdAt)}-${record.id}`,
    ].sort();
  };

  test('a record is jobs/{id}.json at the version S3 gave it, with owner, state and queue entries that follow its state', async () => {
    const record = queuedJob();
    const created = await store.create(record);
    expect(await objects.head(`jobs/${record.id}.json`)).toMatchObject({ etag: created.version, contentType: 'application/json' });
    expect(await indexKeys()).toEqual(expectedKeys(record));
    const running = markRunning(record, 1, later(3));
    await store.replace(running, created.version);
    expect(await indexKeys()).toEqual(expectedKeys(running));
    await store.delete(record.id);
    expect(await indexKeys()).toEqual([]);
    expect((await objects.list('')).objects).toEqual([]);
  });

  test('a writer that dies after its record write: lists skip its stale entries, the count keeps one until the next transition', async () => {
    const record = queuedJob();
    const created = await store.create(record);
    const dying = new S3JobStore(dyingAfterRecordWrite(objects));
    await expect(dying.replace(markRunning(record, 1, later(3)), created.version)).rejects.toThrow('writer died');
    expect((await store.listByState('running', { limit: 10 })).map((r) => r.id)).toEqual([record.id]);
    expect(await store.listByState('queued', { limit: 10 })).toEqual([]);
    expect(await store.countQueuedBefore(later(60).toISOString())).toBe(1); // documented: counted until the next transition
    expect(await indexKeys()).toHaveLength(4); // young stale entries stay: they could be a write in progress
    const muchLater = new S3JobStore(objects, { now: () => new Date(Date.now() + 10 * 60_000) });
    expect(await muchLater.listByState('queued', { limit: 10 })).toEqual([]);
    expect((await indexKeys()).filter((key) => key.startsWith('job-index/state/queued/'))).toEqual([]);
    await updateJob(store, record.id, (r) => markFailed(r, { code: 'ENGINE_FAILED', message: 'x' }, 60, later(4)));
    expect(await store.countQueuedBefore(later(60).toISOString())).toBe(0);
    expect(await indexKeys()).toEqual(expectedKeys((await store.get(record.id))!.record));
  });

  test('racing transitions from two stores leave exactly the final record\'s entries', async () => {
    const otherClient = emulatorS3Client(proxy.endpoint); // another process: its own connections and record cache
    const other = new S3JobStore(new S3ObjectStore(otherClient, BUCKET, { keyPrefix: prefix }));
    const record = queuedJob();
    await store.create(record);
    const flip = (r: JobRecord): JobRecord => (r.state === 'queued' ? markRunning(r, r.attempts + 1, later(5)) : markRequeued(r, later(6)));
    try {
      await Promise.all([store, other, store, other, store, other, store, other].map((s) => updateJob(s, record.id, flip)));
    } finally {
      otherClient.destroy();
    }
    const final = (await store.get(record.id))!.record;
    expect(final).toMatchObject({ state: 'queued', attempts: 4 });
    expect(await indexKeys()).toEqual(expectedKeys(final));
    expect(await store.countQueuedBefore(later(60).toISOString())).toBe(1);
  });

  test('bad ids, times, cursors and versions are refused; a corrupt record is INTERNAL', async () => {
    await expectRestainError(store.create(makeJobRecord({ id: 'not-a-uuid' })), 'INVALID_ARGUMENT');
    await expectRestainError(store.create(makeJobRecord({ createdAt: 'yesterday' })), 'INVALID_ARGUMENT');
    expect(await store.get('../../etc/passwd')).toBeUndefined();
    await expectRestainError(store.listByOwner('alice', { limit: 5, cursor: 'garbage!' }), 'INVALID_ARGUMENT');
    await expectRestainError(store.listByState('queued', { limit: 5, createdBefore: 'soon' }), 'INVALID_ARGUMENT');
    await expectRestainError(store.listByOwner('alice', { limit: 0 }), 'INVALID_ARGUMENT');
    const record = queuedJob();
    const created = await store.create(record);
    await expectRestainError(store.replace(markRunning(record, 1, later(3)), '"0123"'), 'CONFLICT');
    expect((await store.get(record.id))?.version).toBe(created.version);
    await store.delete(record.id);
    await expectRestainError(store.replace(markRunning(record, 1, later(3)), created.version), 'NOT_FOUND');
    await objects.put(`jobs/${record.id}.json`, new TextEncoder().encode('{not json'));
    await expectRestainError(store.get(record.id), 'INTERNAL');
  });
});

/** An ObjectStore that fails every call after the first record replace succeeds: a writer that died right there. */
function dyingAfterRecordWrite(inner: ObjectStore): ObjectStore {
  let dead = false;
  return new Proxy(inner, {
    get(target, name: keyof ObjectStore) {
      const method = target[name] as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        if (dead) throw new Error('writer died');
        const result = await method.apply(target, args);
        if (name === 'put' && String(args[0]).startsWith('jobs/') && (args[2] as { ifMatch?: string } | undefined)?.ifMatch) dead = true;
        return result;
      };
    },
  });
}
