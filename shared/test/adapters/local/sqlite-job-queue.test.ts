import * as path from 'node:path';
import { SqliteJobQueue } from '../../../src/adapters/local/sqlite-job-queue';
import { type StateDatabase, openStateDatabase } from '../../../src/adapters/local/state-database';
import type { QueuePolicy } from '../../../src/ports/job-queue';
import { describeJobQueueContract } from '../../ports/job-queue-contract';
import { expectRestainError, sleep } from '../../ports/expect-restain-error';
import { makeTempDir } from './temp-dir';

describeJobQueueContract('SqliteJobQueue', async (policy) => {
  const temp = makeTempDir('queue');
  const file = path.join(temp.dir, 'state.db');
  const db = openStateDatabase(file);
  const other = openStateDatabase(file); // a second connection, as another process would have
  const options = { name: 'jobs', policy, deadLetterQueueName: 'jobs-dead' };
  const queue = new SqliteJobQueue(db, options);
  return {
    queue,
    otherClient: new SqliteJobQueue(other, options),
    deadLetterQueue: queue.deadLetterQueue()!,
    cleanup: async () => {
      db.close();
      other.close();
      temp.remove();
    },
  };
});

describe('SqliteJobQueue (local guarantees)', () => {
  const POLICY: QueuePolicy = { visibilityTimeoutSeconds: 30, maxReceiveCount: 2, retentionSeconds: 3600 };
  let temp: ReturnType<typeof makeTempDir>;
  let db: StateDatabase;
  beforeEach(() => {
    temp = makeTempDir('queue-local');
    db = openStateDatabase(path.join(temp.dir, 'state.db'));
  });
  afterEach(() => {
    db.close();
    temp.remove();
  });

  test('stale, foreign and malformed receipt handles are refused with the reason', async () => {
    const queue = new SqliteJobQueue(db, { name: 'q', policy: POLICY });
    await queue.send('x');
    const [first] = await queue.receive({ waitTimeSeconds: 0, visibilityTimeoutSeconds: 0 });
    const [second] = await queue.receive({ waitTimeSeconds: 0 });
    const stale = await expectRestainError(queue.delete(first.receiptHandle), 'PRECONDITION_FAILED');
    expect(stale.message).toMatch(/stale: the message was received again \(receive 2\)/);
    await expectRestainError(queue.changeVisibility(first.receiptHandle, 10), 'PRECONDITION_FAILED');
    const otherQueue = new SqliteJobQueue(db, { name: 'other', policy: POLICY });
    await expectRestainError(otherQueue.delete(second.receiptHandle), 'PRECONDITION_FAILED');
    await expectRestainError(queue.delete('nonsense'), 'INVALID_ARGUMENT');
    await queue.delete(second.receiptHandle);
    await queue.delete(second.receiptHandle); // gone already: deleting again is fine (SQS)
    const gone = await expectRestainError(queue.changeVisibility(second.receiptHandle, 10), 'PRECONDITION_FAILED');
    expect(gone.message).toMatch(/no longer in the queue/);
  });

  test('dead-lettered messages keep body, id, count and send time, and record the move', async () => {
    const queue = new SqliteJobQueue(db, { name: 'q', policy: POLICY, deadLetterQueueName: 'q-dead' });
    const id = await queue.send('poison');
    const [first] = await queue.receive({ waitTimeSeconds: 0, visibilityTimeoutSeconds: 0 });
    const [second] = await queue.receive({ waitTimeSeconds: 0, visibilityTimeoutSeconds: 0 });
    expect(second.receiveCount).toBe(2);
    const before = Date.now();
    expect(await queue.receive({ waitTimeSeconds: 0 })).toEqual([]);
    const moved = await expectRestainError(queue.delete(second.receiptHandle), 'PRECONDITION_FAILED');
    expect(moved.message).toMatch(/moved to queue q-dead/);
    const [dead] = await queue.deadLetterQueue()!.receive({ waitTimeSeconds: 0 });
    expect(dead).toMatchObject({ messageId: id, body: 'poison', receiveCount: 3, sentAt: first.sentAt, movedFrom: 'q' });
    expect(dead.movedAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
  });

  test('messages past retention are dropped, in the dead-letter queue too (counted from the first send)', async () => {
    const policy = { ...POLICY, maxReceiveCount: 1, retentionSeconds: 0.3 };
    const queue = new SqliteJobQueue(db, { name: 'q', policy, deadLetterQueueName: 'q-dead' });
    await queue.send('old');
    await queue.send('dead');
    expect((await queue.receive({ waitTimeSeconds: 0, maxMessages: 1, visibilityTimeoutSeconds: 0 }))[0].body).toBe('old');
    expect((await queue.receive({ waitTimeSeconds: 0, maxMessages: 1, visibilityTimeoutSeconds: 10 }))[0].body).toBe('dead');
    await queue.receive({ waitTimeSeconds: 0 }); // moves 'old' (received once already) to the dead-letter queue
    expect(await queue.deadLetterQueue()!.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    await sleep(400);
    await queue.send('new');
    expect(await queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(await queue.deadLetterQueue()!.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect((await queue.receive({ waitTimeSeconds: 0, maxMessages: 10 })).map((m) => m.body)).toEqual(['new']);
    expect(await queue.deadLetterQueue()!.receive({ waitTimeSeconds: 0 })).toEqual([]);
    const rows = db.prepare('SELECT body FROM queue_messages ORDER BY body').pluck().all();
    expect(rows).toEqual(['new']); // 'dead' was in flight: past retention it goes too (SQS)
  });

  test('queues sharing the database are independent', async () => {
    const a = new SqliteJobQueue(db, { name: 'a', policy: POLICY });
    const b = new SqliteJobQueue(db, { name: 'b', policy: POLICY });
    await a.send('for a');
    expect(await b.receive({ waitTimeSeconds: 0 })).toEqual([]);
    expect(await b.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect((await a.receive({ waitTimeSeconds: 0 }))[0].body).toBe('for a');
  });

  test('a send in this process wakes a long poll at once; a batch receive takes up to maxMessages in order', async () => {
    const queue = new SqliteJobQueue(db, { name: 'q', policy: POLICY, pollIntervalMs: 5000 });
    const waiting = queue.receive({ waitTimeSeconds: 10 });
    await sleep(50);
    const sentAt = Date.now();
    await queue.send('now');
    expect((await waiting)[0].body).toBe('now');
    expect(Date.now() - sentAt).toBeLessThan(100);
    for (let i = 0; i < 12; i++) await queue.send(`m${i}`);
    expect((await queue.receive({ waitTimeSeconds: 0, maxMessages: 10 })).map((m) => m.body)).toEqual(Array.from({ length: 10 }, (_, i) => `m${i}`));
  });

  test('SQS limits are enforced so code that runs here runs on SQS', async () => {
    const queue = new SqliteJobQueue(db, { name: 'q', policy: POLICY });
    await expectRestainError(queue.send('x'.repeat(262_145)), 'PAYLOAD_TOO_LARGE');
    await expectRestainError(queue.send('x', { delaySeconds: 901 }), 'INVALID_ARGUMENT');
    await expectRestainError(queue.receive({ waitTimeSeconds: 21 }), 'INVALID_ARGUMENT');
    await expectRestainError(queue.receive({ waitTimeSeconds: 0, maxMessages: 11 }), 'INVALID_ARGUMENT');
    await expectRestainError(queue.changeVisibility('a.b', 43_201), 'INVALID_ARGUMENT');
    await expectRestainError(async () => new SqliteJobQueue(db, { name: 'q', policy: { ...POLICY, maxReceiveCount: 0 } }), 'INVALID_ARGUMENT');
    await expectRestainError(async () => new SqliteJobQueue(db, { name: 'q', policy: POLICY, deadLetterQueueName: 'q' }), 'INVALID_ARGUMENT');
  });

  test('reopening the database keeps messages and the schema version', async () => {
    const file = path.join(temp.dir, 'state.db');
    await new SqliteJobQueue(db, { name: 'q', policy: POLICY }).send('durable');
    db.close();
    db = openStateDatabase(file);
    expect(db.prepare('SELECT version FROM schema_version').pluck().all()).toEqual([1]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((await new SqliteJobQueue(db, { name: 'q', policy: POLICY }).receive({ waitTimeSeconds: 0 }))[0].body).toBe('durable');
  });
});
