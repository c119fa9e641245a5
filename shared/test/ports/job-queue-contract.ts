import type { JobQueue, QueueMessage, QueuePolicy } from '../../src/ports/job-queue';
import { sleep } from './expect-restain-error';

/**
 * A fresh, empty queue with `policy`, its dead-letter queue (redrive after policy.maxReceiveCount
 * receives), and a second client of the same queue (another connection or process-like client).
 */
export type MakeJobQueue = (policy: QueuePolicy) => Promise<{
  queue: JobQueue;
  otherClient: JobQueue;
  deadLetterQueue: JobQueue;
  cleanup(): Promise<void>;
}>;

const POLICY: QueuePolicy = { visibilityTimeoutSeconds: 30, maxReceiveCount: 5, retentionSeconds: 3600 };

/** Receives until a long poll of `waitTimeSeconds` comes back empty. */
async function drain(queue: JobQueue, visibilityTimeoutSeconds = 30): Promise<QueueMessage[]> {
  const all: QueueMessage[] = [];
  for (let i = 0; i < 50; i++) {
    const batch = await queue.receive({ maxMessages: 10, waitTimeSeconds: 1, visibilityTimeoutSeconds });
    if (batch.length === 0) break;
    all.push(...batch);
  }
  return all;
}

/**
 * The JobQueue port's contract: what SQS guarantees, so the local queue and SQS are
 * interchangeable. Timings use SQS's whole-second settings, kept small (1-3 s).
 */
export function describeJobQueueContract(name: string, makeQueue: MakeJobQueue): void {
  describe(`JobQueue contract: ${name}`, () => {
    let opened: Awaited<ReturnType<MakeJobQueue>> | undefined;
    const open = async (policy: Partial<QueuePolicy> = {}): Promise<Awaited<ReturnType<MakeJobQueue>>> =>
      (opened = await makeQueue({ ...POLICY, ...policy }));
    afterEach(async () => {
      await opened?.cleanup();
      opened = undefined;
    });

    test('a sent message is received once with its body, id, count 1 and send time', async () => {
      const { queue } = await open();
      const before = Date.now();
      const id = await queue.send('{"jobId":"a"}');
      const [message, ...rest] = await queue.receive({ waitTimeSeconds: 1 });
      expect(rest).toEqual([]);
      expect(message).toMatchObject({ messageId: id, body: '{"jobId":"a"}', receiveCount: 1, receiptHandle: expect.any(String) });
      expect(Math.abs(message.sentAt.getTime() - before)).toBeLessThan(5000);
      expect(await queue.receive({ waitTimeSeconds: 0 })).toEqual([]);
    });

    test('a long poll returns as soon as a message arrives (< 250 ms), and waits its time when none does', async () => {
      const { queue, otherClient } = await open();
      const started = Date.now();
      expect(await queue.receive({ waitTimeSeconds: 1 })).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      const waiting = otherClient.receive({ waitTimeSeconds: 10 });
      await sleep(300);
      const sentAt = Date.now();
      await queue.send('wake');
      const [message] = await waiting;
      expect(message.body).toBe('wake');
      expect(Date.now() - sentAt).toBeLessThan(250);
    });

    test('aborting a long poll ends it early with no messages', async () => {
      const { queue } = await open();
      const controller = new AbortController();
      const started = Date.now();
      const waiting = queue.receive({ waitTimeSeconds: 10, signal: controller.signal });
      await sleep(100);
      controller.abort();
      expect(await waiting).toEqual([]);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    test('concurrent receivers on two clients never get the same message', async () => {
      const { queue, otherClient } = await open();
      const sent = new Set(await Promise.all(Array.from({ length: 30 }, (_, i) => queue.send(`m${i}`))));
      const batches = await Promise.all([queue, queue, otherClient, otherClient].map((client) => drain(client)));
      const received = batches.flat().map((m) => m.messageId);
      expect(received).toHaveLength(30);
      expect(new Set(received)).toEqual(sent);
      for (const message of batches.flat()) expect(message.receiveCount).toBe(1);
    });

    test('after its visibility timeout a message is delivered again, counted, with a new handle', async () => {
      const { queue } = await open();
      await queue.send('again');
      const [first] = await queue.receive({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 1 });
      expect(await queue.receive({ waitTimeSeconds: 0 })).toEqual([]);
      const [second] = await queue.receive({ waitTimeSeconds: 3 });
      expect(second).toMatchObject({ messageId: first.messageId, body: 'again', receiveCount: 2 });
      expect(second.receiptHandle).not.toBe(first.receiptHandle);
      await queue.delete(second.receiptHandle);
      expect(await queue.receive({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 1 })).toEqual([]);
    });

    test('changeVisibility extends the lease, and 0 hands the message back at once', async () => {
      const { queue } = await open();
      await queue.send('lease');
      const [first] = await queue.receive({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 1 });
      await queue.changeVisibility(first.receiptHandle, 4);
      await sleep(1500);
      expect(await queue.receive({ waitTimeSeconds: 0 })).toEqual([]);
      await queue.changeVisibility(first.receiptHandle, 0);
      const [second] = await queue.receive({ waitTimeSeconds: 1 });
      expect(second).toMatchObject({ messageId: first.messageId, receiveCount: 2 });
    });

    test('a stale receipt handle does not delete the message received again', async () => {
      const { queue } = await open();
      await queue.send('stale');
      const [first] = await queue.receive({ waitTimeSeconds: 1, visibilityTimeoutSeconds: 1 });
      const [second] = await queue.receive({ waitTimeSeconds: 3, visibilityTimeoutSeconds: 1 });
      expect(second.messageId).toBe(first.messageId);
      await queue.delete(first.receiptHandle).catch(() => undefined); // SQS ignores it; local adapters may refuse
      const [third] = await queue.receive({ waitTimeSeconds: 3 });
      expect(third).toMatchObject({ messageId: first.messageId, receiveCount: 3 });
      await queue.delete(third.receiptHandle);
    });

    test('after maxReceiveCount receives the message moves to the dead-letter queue, body intact', async () => {
      const { queue, deadLetterQueue } = await open({ maxReceiveCount: 2 });
      const id = await queue.send('{"jobId":"poison"}');
      for (const count of [1, 2]) {
        const [message] = await queue.receive({ waitTimeSeconds: 1 });
        expect(message.receiveCount).toBe(count);
        await queue.changeVisibility(message.receiptHandle, 0);
      }
      expect(await queue.receive({ waitTimeSeconds: 1 })).toEqual([]);
      const [dead] = await deadLetterQueue.receive({ waitTimeSeconds: 2 });
      expect(dead).toMatchObject({ messageId: id, body: '{"jobId":"poison"}' });
      expect(dead.receiveCount).toBeGreaterThanOrEqual(2);
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    });

    test('a delayed message is invisible until its delay passes', async () => {
      const { queue } = await open();
      const sentAt = Date.now();
      await queue.send('later', { delaySeconds: 1 });
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
      expect(await queue.receive({ waitTimeSeconds: 0 })).toEqual([]);
      const [message] = await queue.receive({ waitTimeSeconds: 3 });
      expect(message.body).toBe('later');
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(900);
    });

    test('depth counts visible, in-flight and delayed messages', async () => {
      const { queue } = await open();
      expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
      await Promise.all([queue.send('1'), queue.send('2'), queue.send('3'), queue.send('4', { delaySeconds: 60 })]);
      const [message] = await queue.receive({ waitTimeSeconds: 1 });
      expect(await queue.depth()).toEqual({ visible: 2, inFlight: 1, delayed: 1 });
      await queue.delete(message.receiptHandle);
      expect(await queue.depth()).toEqual({ visible: 2, inFlight: 0, delayed: 1 });
    });
  });
}
