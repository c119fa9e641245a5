import { SqliteJobStore } from '../../src/adapters/local/sqlite-job-store';
import { openStateDatabase } from '../../src/adapters/local/state-database';
import type { JobRecord } from '../../src/jobs/job-record';
import { updateJob } from '../../src/jobs/update-job';
import type { JobStore, VersionedJob } from '../../src/ports/job-store';
import { RestainError } from '../../src/errors';
import { expectRestainError } from '../ports/expect-restain-error';
import { makeJobRecord } from './make-job-record';

describe('updateJob', () => {
  const db = openStateDatabase(':memory:');
  const store = new SqliteJobStore(db);
  afterAll(() => db.close());

  test('applies the change against the latest version', async () => {
    const record = makeJobRecord();
    await store.create(record);
    const updated = await updateJob(store, record.id, (r) => ({ ...r, displayName: 'x' }));
    expect(updated?.record.displayName).toBe('x');
    expect(updated?.version).toBe('2');
  });

  test('an absent job gives undefined; returning undefined or the same record writes nothing', async () => {
    expect(await updateJob(store, 'absent', (r) => r)).toBeUndefined();
    const record = makeJobRecord();
    await store.create(record);
    expect((await updateJob(store, record.id, () => undefined))?.version).toBe('1');
    expect((await updateJob(store, record.id, (r) => r))?.version).toBe('1');
  });

  test('retries after a conflicting writer and sees its write', async () => {
    const record = makeJobRecord();
    await store.create(record);
    let interfered = false;
    const seen: number[] = [];
    const result = await updateJob(store, record.id, (r) => {
      seen.push(r.attempts);
      if (!interfered) {
        interfered = true;
        db.prepare('UPDATE jobs SET version = version + 1, record = ? WHERE id = ?').run(JSON.stringify({ ...r, attempts: 10 }), r.id);
      }
      return { ...r, attempts: r.attempts + 1 };
    });
    expect(seen).toEqual([0, 10]);
    expect(result?.record.attempts).toBe(11);
  });

  test('errors from the change or the store other than CONFLICT propagate at once', async () => {
    const record = makeJobRecord();
    await store.create(record);
    await expectRestainError(updateJob(store, record.id, () => {
      throw new RestainError('CONFLICT', 'illegal move');
    }), 'CONFLICT');
    let calls = 0;
    // The real store, with replace failing the way a broken disk would.
    const failing: JobStore = Object.assign(Object.create(store) as JobStore, {
      replace: async (): Promise<VersionedJob> => {
        calls++;
        throw new RestainError('UNAVAILABLE', 'disk gone');
      },
    });
    await expectRestainError(updateJob(failing, record.id, (r) => ({ ...r, attempts: 1 })), 'UNAVAILABLE');
    expect(calls).toBe(1);
  });

  test('gives up with UNAVAILABLE after 20 conflicting rounds', async () => {
    const record = makeJobRecord();
    let replaces = 0;
    // A store some other writer always beats.
    const contended: JobStore = Object.assign(Object.create(store) as JobStore, {
      get: async (): Promise<VersionedJob> => ({ record, version: '1' }),
      replace: async (_: JobRecord): Promise<VersionedJob> => {
        replaces++;
        throw new RestainError('CONFLICT', 'someone else wrote');
      },
    });
    const error = await expectRestainError(updateJob(contended, record.id, (r) => ({ ...r, attempts: 1 })), 'UNAVAILABLE');
    expect(error.message).toContain(record.id);
    expect(replaces).toBe(20);
  });
});
