import { encodeJobMessage, markRunning, updateJob } from '@restain/shared';
import { createEngine } from '../../src/engines/create-engine';
import type { Engine } from '../../src/engines/engine';
import { drainDeadLetters } from '../../src/worker/dead-letters';
import { processJob } from '../../src/worker/process-job';
import { runWorker } from '../../src/worker/run-worker';
import { type TestHome, createQueuedJob, enqueue, fakeEngine, keysUnder, openTestHome, syntheticPng, waitFor, workerDeps } from './worker-fixture';

const SIZE = 256;
const VISIBILITY_SECONDS = 30;
const MAX_RECEIVES = 2;

let engine: Engine;
let png: Buffer;
let home: TestHome;

beforeAll(async () => {
  engine = await createEngine({ kind: 'builtin' });
  png = await syntheticPng(SIZE, 5);
});
beforeEach(async () => {
  home = await openTestHome({ visibilityTimeoutSeconds: VISIBILITY_SECONDS, maxReceiveCount: MAX_RECEIVES });
});
afterEach(() => home.close());

function deadLetterDeps(deps: ReturnType<typeof workerDeps>) {
  return { ...deps, deadLetters: home.deadLetters, maxReceiveCount: MAX_RECEIVES };
}

describe('retries and the dead-letter queue', () => {
  it('retries a transient engine failure: the error is recorded, the job queued again, and the next delivery succeeds', async () => {
    const deps = workerDeps(home, fakeEngine(engine, { failFirstTiles: 1 }), VISIBILITY_SECONDS);
    const jobId = await createQueuedJob(home, png, SIZE);
    await enqueue(home, jobId);

    const [first] = await home.queue.receive({ waitTimeSeconds: 0 });
    const failed = await processJob(deps, first, { retryBaseSeconds: 0 });
    expect(failed).toMatchObject({ kind: 'retry', jobId, delaySeconds: 0, error: { code: 'ENGINE_FAILED' } });
    const between = (await home.jobs.get(jobId))!.record;
    expect(between).toMatchObject({ state: 'queued', attempts: 1, lastError: { code: 'ENGINE_FAILED', message: expect.stringContaining('engine crashed on tile 1') } });
    expect(between.error).toBeUndefined();
    expect((await home.queue.depth()).visible).toBe(1); // handed back with no delay
    expect(await keysUnder(home.objects, `results/${jobId}/`)).toEqual([]);

    const [second] = await home.queue.receive({ waitTimeSeconds: 0 });
    expect(second.receiveCount).toBe(2);
    expect(await processJob(deps, second, { retryBaseSeconds: 0 })).toMatchObject({ kind: 'succeeded', analyzed: true });
    const { record } = (await home.jobs.get(jobId))!;
    expect(record).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(record.results).toHaveLength(1);
    expect(await home.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('backs off a retry: the message stays invisible for the delay', async () => {
    const deps = workerDeps(home, fakeEngine(engine, { failAlways: true }), VISIBILITY_SECONDS);
    const jobId = await createQueuedJob(home, png, SIZE);
    await enqueue(home, jobId);
    const [message] = await home.queue.receive({ waitTimeSeconds: 0 });
    expect(await processJob(deps, message, { retryBaseSeconds: 4 })).toMatchObject({ kind: 'retry', delaySeconds: 4 });
    expect(await home.queue.depth()).toMatchObject({ visible: 0, inFlight: 1 });
  });

  it('dead-letters a poison job after maxReceiveCount receives and fails it with the last error', async () => {
    const poison = fakeEngine(engine, { failAlways: true });
    const deps = workerDeps(home, poison, VISIBILITY_SECONDS);
    const jobId = await createQueuedJob(home, png, SIZE);
    await enqueue(home, jobId);

    const controller = new AbortController();
    const worker = runWorker(deps, { signal: controller.signal, waitTimeSeconds: 1, retryBaseSeconds: 0 });
    await waitFor('the message in the dead-letter queue', async () => (await home.deadLetters.depth()).visible === 1, 20_000);
    controller.abort();
    const stats = await worker;

    expect(stats.outcomes.retry).toBe(MAX_RECEIVES);
    expect(poison.calls.tiles).toBe(MAX_RECEIVES);
    expect((await home.jobs.get(jobId))!.record.state).toBe('queued'); // until the dead letter is handled
    expect(await drainDeadLetters(deadLetterDeps(deps))).toEqual({ drained: 1, failedJobs: 1 });

    const { record } = (await home.jobs.get(jobId))!;
    expect(record.state).toBe('failed');
    expect(record.error?.code).toBe('ENGINE_FAILED');
    expect(record.error?.message).toMatch(/^The job failed 2 times while processing \(last: engine crashed on tile 2\); it was moved to the dead-letter queue$/);
    expect(record.expiresAt).toBeDefined();
    expect(await home.deadLetters.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(await home.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('fails a job whose workers died without a word as WORKER_CRASHED; a repeated dead letter changes nothing', async () => {
    const deps = workerDeps(home, engine, VISIBILITY_SECONDS);
    const jobId = await createQueuedJob(home, png, SIZE);
    await enqueue(home, jobId);
    // Two workers take the job and die (SIGKILL) before settling it: the lease simply runs out.
    for (let receive = 1; receive <= MAX_RECEIVES; receive++) {
      const [message] = await home.queue.receive({ waitTimeSeconds: 0, visibilityTimeoutSeconds: 0 });
      expect(message.receiveCount).toBe(receive);
      await updateJob(home.jobs, jobId, (record) => markRunning(record, message.receiveCount, new Date()));
    }
    expect(await home.queue.receive({ waitTimeSeconds: 0 })).toEqual([]); // this receive moved it to the dead-letter queue

    expect(await drainDeadLetters(deadLetterDeps(deps))).toEqual({ drained: 1, failedJobs: 1 });
    const failed = (await home.jobs.get(jobId))!;
    expect(failed.record.error).toEqual({
      code: 'WORKER_CRASHED',
      message: 'The job failed 2 times while processing (last: the worker stopped without reporting an error, e.g. it crashed or ran out of memory); it was moved to the dead-letter queue',
    });

    await home.deadLetters.send(encodeJobMessage({ jobId }));
    await home.deadLetters.send('garbage');
    expect(await drainDeadLetters(deadLetterDeps(deps))).toEqual({ drained: 2, failedJobs: 0 });
    expect((await home.jobs.get(jobId))!.version).toBe(failed.version);
  });
});
