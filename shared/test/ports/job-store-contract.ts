import { markQueued, markRunning, markUploaded } from '../../src/jobs/job-transitions';
import type { JobRecord } from '../../src/jobs/job-record';
import { updateJob } from '../../src/jobs/update-job';
import type { JobStore } from '../../src/ports/job-store';
import { makeJobRecord } from '../jobs/make-job-record';
import { expectRestainError } from './expect-restain-error';

/** A fresh, empty job store and a way to clean up. */
export type MakeJobStore = () => Promise<{ store: JobStore; cleanup(): Promise<void> }>;

const INPUT = { key: 'inputs/x/input.png', displayName: 'x.png', format: 'png', width: 10, height: 10, sizeBytes: 100, sha256: 'ab' };
const at = (minute: number): string => new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();

/** A record moved to `queued` at `queuedMinute`, created at `createdMinute`. */
function queuedJob(createdMinute: number, queuedMinute: number, owner = 'local'): JobRecord {
  const created = makeJobRecord({ owner, createdAt: at(createdMinute), updatedAt: at(createdMinute) });
  return markQueued(markUploaded(created, INPUT, new Date(at(queuedMinute))), new Date(at(queuedMinute)));
}

/** The JobStore port's contract: every adapter (SQLite, S3 objects) must pass it. */
export function describeJobStoreContract(name: string, makeStore: MakeJobStore): void {
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore;
    let cleanup: () => Promise<void>;
    beforeEach(async () => ({ store, cleanup } = await makeStore()));
    afterEach(async () => cleanup?.());

    test('create stores the record; a second create of the id conflicts', async () => {
      const record = makeJobRecord({ displayName: 'slide 1.png' });
      const created = await store.create(record);
      expect(created.record).toEqual(record);
      expect(await store.get(record.id)).toEqual({ record, version: created.version });
      await expectRestainError(store.create({ ...record, owner: 'someone-else' }), 'CONFLICT');
      expect((await store.get(record.id))?.record.owner).toBe('local');
    });

    test('replace is compare-and-swap on the version read', async () => {
      const record = makeJobRecord();
      const v1 = await store.create(record);
      const uploaded = markUploaded(record, INPUT, new Date(at(5)));
      const v2 = await store.replace(uploaded, v1.version);
      expect(v2.version).not.toBe(v1.version);
      expect(await store.get(record.id)).toEqual({ record: uploaded, version: v2.version });
      await expectRestainError(store.replace({ ...uploaded, displayName: 'late' }, v1.version), 'CONFLICT');
      expect((await store.get(record.id))?.record).toEqual(uploaded);
    });

    test('parallel updateJob increments all land (CAS retries on conflict)', async () => {
      const record = makeJobRecord();
      await store.create(record);
      await Promise.all(Array.from({ length: 8 }, () => updateJob(store, record.id, (r) => ({ ...r, attempts: r.attempts + 1 }))));
      expect((await store.get(record.id))?.record.attempts).toBe(8);
    });

    test('get of an absent id is undefined; delete is idempotent', async () => {
      const record = makeJobRecord();
      expect(await store.get(record.id)).toBeUndefined();
      await store.create(record);
      await store.delete(record.id);
      expect(await store.get(record.id)).toBeUndefined();
      await store.delete(record.id);
    });

    test('listByOwner pages newest first and never shows another owner', async () => {
      const mine = [3, 1, 4, 1, 5, 9, 2].map((minute) => makeJobRecord({ owner: 'alice', createdAt: at(minute) }));
      const theirs = [2, 6].map((minute) => makeJobRecord({ owner: 'bob', createdAt: at(minute) }));
      for (const record of [...mine, ...theirs]) await store.create(record);
      const seen: JobRecord[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page++) {
        const result = await store.listByOwner('alice', { limit: 3, cursor });
        expect(result.jobs.length).toBeLessThanOrEqual(3);
        seen.push(...result.jobs);
        cursor = result.nextCursor;
        if (!cursor) break;
      }
      expect(seen.map((r) => r.id).sort()).toEqual(mine.map((r) => r.id).sort());
      const times = seen.map((r) => r.createdAt);
      expect(times).toEqual([...times].sort().reverse());
      expect((await store.listByOwner('bob', { limit: 10 })).jobs.map((r) => r.createdAt)).toEqual([at(6), at(2)]);
      expect(await store.listByOwner('carol', { limit: 10 })).toEqual({ jobs: [] });
    });

    test('listByState returns one state, oldest first, before a time, up to a limit', async () => {
      const queued = [queuedJob(4, 10), queuedJob(1, 11), queuedJob(7, 12), queuedJob(2, 13)];
      const running = markRunning(queuedJob(0, 9), 1, new Date(at(20)));
      for (const record of [...queued, running]) await store.create(record);
      expect((await store.listByState('queued', { limit: 10 })).map((r) => r.createdAt)).toEqual([at(1), at(2), at(4), at(7)]);
      expect((await store.listByState('queued', { limit: 2 })).map((r) => r.createdAt)).toEqual([at(1), at(2)]);
      expect((await store.listByState('queued', { limit: 10, createdBefore: at(4) })).map((r) => r.createdAt)).toEqual([at(1), at(2)]);
      expect((await store.listByState('running', { limit: 10 })).map((r) => r.id)).toEqual([running.id]);
      expect(await store.listByState('failed', { limit: 10 })).toEqual([]);
    });

    test('a replace moves the record between state lists', async () => {
      const record = queuedJob(1, 2);
      const created = await store.create(record);
      await store.replace(markRunning(record, 1, new Date(at(3))), created.version);
      expect(await store.listByState('queued', { limit: 10 })).toEqual([]);
      expect((await store.listByState('running', { limit: 10 })).map((r) => r.id)).toEqual([record.id]);
    });

    test('countQueuedBefore counts queued jobs queued earlier (the queue position)', async () => {
      const queued = [queuedJob(0, 10), queuedJob(0, 11), queuedJob(0, 12)];
      const running = markRunning(queuedJob(0, 5), 1, new Date(at(6)));
      for (const record of [...queued, running]) await store.create(record);
      expect(await store.countQueuedBefore(at(10))).toBe(0);
      expect(await store.countQueuedBefore(at(12))).toBe(2);
      expect(await store.countQueuedBefore(at(30))).toBe(3);
    });
  });
}
