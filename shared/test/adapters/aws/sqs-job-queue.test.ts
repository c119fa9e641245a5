import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SqsJobQueue } from '../../../src/adapters/aws/sqs-job-queue';
import { createSqsQueuePair, sqsQueueAttributes } from '../../../src/adapters/aws/sqs-queues';
import { expectRestainError } from '../../ports/expect-restain-error';
import { describeJobQueueContract } from '../../ports/job-queue-contract';
import { emulatorSqsClient } from '../../../../test-support/aws-emulators/aws-clients';
import { type EmulatorProcess, startFauxqs } from '../../../../test-support/aws-emulators/start-emulators';

let fauxqs: EmulatorProcess;
let client: SQSClient;
let otherClient: SQSClient;

beforeAll(async () => {
  fauxqs = await startFauxqs();
  client = emulatorSqsClient(fauxqs.endpoint);
  otherClient = emulatorSqsClient(fauxqs.endpoint); // its own connection pool, as another process would have
});

afterAll(async () => {
  client?.destroy();
  otherClient?.destroy();
  await fauxqs?.stop();
});

// Every contract case runs against SqsJobQueue -> fauxqs on 127.0.0.1: a fresh queue and
// dead-letter queue (redrive after policy.maxReceiveCount) per case.
describeJobQueueContract('SqsJobQueue (fauxqs)', async (policy) => {
  const { queueUrl, deadLetterQueueUrl } = await createSqsQueuePair(client, `jobs-${randomUUID()}`, policy);
  return {
    queue: new SqsJobQueue(client, queueUrl),
    otherClient: new SqsJobQueue(otherClient, queueUrl),
    deadLetterQueue: new SqsJobQueue(client, deadLetterQueueUrl),
    cleanup: async () => undefined, // fauxqs is in memory and stopped after the file
  };
});

describe('SqsJobQueue (SQS specifics)', () => {
  const POLICY = { visibilityTimeoutSeconds: 30, maxReceiveCount: 3, retentionSeconds: 3600 };
  const fresh = async (): Promise<{ queue: SqsJobQueue; queueUrl: string; deadLetterQueueUrl: string }> => {
    const pair = await createSqsQueuePair(client, `specifics-${randomUUID()}`, POLICY);
    return { ...pair, queue: new SqsJobQueue(client, pair.queueUrl) };
  };

  test('createSqsQueuePair sets visibility, retention and a redrive to its dead-letter queue', async () => {
    const { queueUrl, deadLetterQueueUrl } = await fresh();
    const attributes = (url: string) => client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })).then((a) => a.Attributes ?? {});
    const [main, dead] = await Promise.all([attributes(queueUrl), attributes(deadLetterQueueUrl)]);
    expect(main).toMatchObject({ VisibilityTimeout: '30', MessageRetentionPeriod: '3600' });
    expect(JSON.parse(main.RedrivePolicy as string)).toEqual({ deadLetterTargetArn: dead.QueueArn, maxReceiveCount: 3 });
    expect(dead.RedrivePolicy).toBeUndefined();
    expect(() => sqsQueueAttributes({ ...POLICY, retentionSeconds: 59 })).toThrow(/retentionSeconds from 60/);
  });

  test('receipt handles: a stale one cannot extend a lease; SQS accepts deleting with it, the message stays', async () => {
    const { queue } = await fresh();
    await queue.send('x');
    const [first] = await queue.receive({ waitTimeSeconds: 0, visibilityTimeoutSeconds: 0 });
    const [second] = await queue.receive({ waitTimeSeconds: 1 });
    expect(second.receiveCount).toBe(2);
    const stale = await expectRestainError(queue.changeVisibility(first.receiptHandle, 10), 'PRECONDITION_FAILED');
    expect(stale.message).toMatch(/no longer in flight under that handle.*MessageNotInflight/);
    await queue.delete(first.receiptHandle); // SQS: succeeds without effect for a superseded handle (fauxqs: ignored)
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    await queue.delete(second.receiptHandle);
    expect(await queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  test('SQS limits are checked before any request; an aborted signal receives nothing', async () => {
    const { queue } = await fresh();
    await expectRestainError(queue.send('x'.repeat(262_145)), 'PAYLOAD_TOO_LARGE');
    await expectRestainError(queue.send('x', { delaySeconds: 901 }), 'INVALID_ARGUMENT');
    await expectRestainError(queue.receive({ waitTimeSeconds: 21 }), 'INVALID_ARGUMENT');
    await expectRestainError(queue.receive({ waitTimeSeconds: 0, maxMessages: 11 }), 'INVALID_ARGUMENT');
    await queue.send('kept');
    const controller = new AbortController();
    controller.abort();
    expect(await queue.receive({ waitTimeSeconds: 5, signal: controller.signal })).toEqual([]);
    expect(await queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  test('a missing queue and an unreachable endpoint become INTERNAL and UNAVAILABLE', async () => {
    const { queueUrl } = await fresh();
    const missing = new SqsJobQueue(client, queueUrl.replace(/specifics-/, 'missing-'));
    expect((await expectRestainError(missing.send('x'), 'INTERNAL')).message).toMatch(/QueueDoesNotExist/);
    const nowhere = emulatorSqsClient('http://127.0.0.1:9', { maxAttempts: 1 });
    try {
      await expectRestainError(new SqsJobQueue(nowhere, queueUrl).depth(), 'UNAVAILABLE');
    } finally {
      nowhere.destroy();
    }
  });
});
