import * as path from 'node:path';
import { SqliteJobStore } from '../../../src/adapters/local/sqlite-job-store';
import { type StateDatabase, openStateDatabase } from '../../../src/adapters/local/state-database';
import { updateJob } from '../../../src/jobs/update-job';
import { describeJobStoreContract } from '../../ports/job-store-contract';
import { expectRestainError } from '../../ports/expect-restain-error';
import { makeJobRecord } from '../../jobs/make-job-record';
import { makeTempDir } from './temp-dir';

describeJobStoreContract('SqliteJobStore', async () => {
  const temp = makeTempDir('jobs');
  const db = openStateDatabase(path.join(temp.dir, 'state.db'));
  return {
    store: new SqliteJobStore(db),
    cleanup: async () => {
      db.close();
      temp.remove();
    },
  };
});

describe('SqliteJobStore (local guarantees)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let db: StateDatabase;
  let store: SqliteJobStore;
  beforeEach(() => {
    temp = makeTempDir('jobs-local');
    db = openStateDatabase(path.join(temp.dir, 'state.db'));
    store = new SqliteJobStore(db);
  });
  afterEach(() => {
    db.close();
    temp.remove();
  });

  test('two connections to one file: compare-and-swap holds across them', async () => {
    const other = new SqliteJobStore(openStateDatabase(path.join(temp.dir, 'state.db')));
    const record = makeJobRecord();
    const created = await store.create(record);
    await other.replace({ ...record, attempts: 1 }, created.version);
    const conflict = await expectRestainError(store.replace({ ...record, attempts: 2 }, created.version), 'CONFLICT');
    expect(conflict.message).toMatch(/at version 1 but it is at version 2/);
    await Promise.all([store, other, store, other].map((s) => updateJob(s, record.id, (r) => ({ ...r, attempts: r.attempts + 1 }))));
    expect((await store.get(record.id))?.record.attempts).toBe(5);
  });

  test('replace of a deleted job is NOT_FOUND; bad versions, cursors and limits are refused', async () => {
    const record = makeJobRecord();
    const created = await store.create(record);
    await store.delete(record.id);
    await expectRestainError(store.replace(record, created.version), 'NOT_FOUND');
    await expectRestainError(store.replace(record, 'v1'), 'INVALID_ARGUMENT');
    await expectRestainError(store.listByOwner('local', { limit: 10, cursor: 'not a cursor' }), 'INVALID_ARGUMENT');
    await expectRestainError(store.listByOwner('local', { limit: 0 }), 'INVALID_ARGUMENT');
    await expectRestainError(store.listByState('queued', { limit: 1001 }), 'INVALID_ARGUMENT');
  });

  test('jobs created in the same millisecond page by id without repeats or gaps', async () => {
    const records = Array.from({ length: 7 }, () => makeJobRecord({ createdAt: '2025-02-02T00:00:00.000Z' }));
    for (const record of records) await store.create(record);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listByOwner('local', { limit: 2, cursor });
      ids.push(...page.jobs.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toEqual(records.map((r) => r.id).sort().reverse());
  });
});
