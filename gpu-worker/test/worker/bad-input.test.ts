import { encodeJobMessage, inputKey } from '@restain/shared';
import { createEngine } from '../../src/engines/create-engine';
import type { Engine } from '../../src/engines/engine';
import { processJob } from '../../src/worker/process-job';
import { type TestHome, createQueuedJob, enqueue, entriesOf, expectQueueEmpty, fakeEngine, keysUnder, openTestHome, receiveOne, syntheticPng, workerDeps } from './worker-fixture';

const SIZE = 256;
const VISIBILITY_SECONDS = 30;

let engine: Engine;
let png: Buffer;
let home: TestHome;

beforeAll(async () => {
  engine = await createEngine({ kind: 'builtin' });
  png = await syntheticPng(SIZE, 7);
});
beforeEach(async () => {
  home = await openTestHome({ visibilityTimeoutSeconds: VISIBILITY_SECONDS, maxReceiveCount: 3 });
});
afterEach(() => home.close());

describe('processJob with bad input', () => {
  it.each([
    ['a corrupt input', 'CORRUPT_IMAGE', (home: TestHome, jobId: string) =>
      home.objects.put(inputKey(jobId), Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300, 7)]))],
    ['a missing input', 'INPUT_NOT_FOUND', (home: TestHome, jobId: string) => home.objects.delete(inputKey(jobId))],
  ])('fails a job with %s once, with the reason, and deletes its message', async (_, code, spoil) => {
    const counting = fakeEngine(engine);
    const jobId = await createQueuedJob(home, png, SIZE);
    await home.objects.delete(inputKey(jobId));
    await spoil(home, jobId);
    await enqueue(home, jobId);

    const outcome = await processJob(workerDeps(home, counting, VISIBILITY_SECONDS), await receiveOne(home, VISIBILITY_SECONDS));

    expect(outcome).toMatchObject({ kind: 'failed', jobId, error: { code } });
    const { record } = (await home.jobs.get(jobId))!;
    expect(record.state).toBe('failed');
    expect(record.error?.code).toBe(code);
    expect(record.error?.message.length).toBeGreaterThan(10);
    expect(counting.calls.prepares).toBe(0);
    expect(await keysUnder(home.objects, `results/${jobId}/`)).toEqual([]);
    expect(await entriesOf(home.tempDir)).toEqual([]);
    await expectQueueEmpty(home);
  });

  it('drops a malformed message and a message for a job that does not exist', async () => {
    await home.queue.send('not json');
    await home.queue.send(encodeJobMessage({ jobId: '7c1e2a44-3f0b-4c1d-9a55-0e6b8f1d2c3a' }));
    const deps = workerDeps(home, engine, VISIBILITY_SECONDS);

    expect(await processJob(deps, await receiveOne(home, VISIBILITY_SECONDS))).toMatchObject({ kind: 'dropped', reason: expect.stringContaining('Expected a JSON job message') });
    expect(await processJob(deps, await receiveOne(home, VISIBILITY_SECONDS))).toMatchObject({ kind: 'dropped', reason: expect.stringContaining('does not exist') });
    await expectQueueEmpty(home);
    expect(home.events.map((entry) => entry.event)).toEqual(['message.malformed', 'message.dropped']);
  });
});
