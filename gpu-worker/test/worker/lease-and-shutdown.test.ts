import { createEngine } from '../../src/engines/create-engine';
import type { Engine } from '../../src/engines/engine';
import { openThreadedEngine } from '../../src/engines/threaded-engine';
import { runWorker } from '../../src/worker/run-worker';
import {
  type TestHome,
  createQueuedJob,
  enqueue,
  entriesOf,
  fakeEngine,
  keysUnder,
  openTestHome,
  syntheticPng,
  waitFor,
  workerDeps,
} from './worker-fixture';

let engine: Engine;
let home: TestHome | undefined;
let threaded: Engine | undefined;

beforeAll(async () => {
  engine = await createEngine({ kind: 'builtin' });
});
afterEach(async () => {
  await home?.close();
  await threaded?.close();
  home = undefined;
  threaded = undefined;
});

describe('runWorker', () => {
  it('extends the lease of a job that outlasts the visibility timeout, so a second worker never gets it', async () => {
    const visibilitySeconds = 2;
    home = await openTestHome({ visibilityTimeoutSeconds: visibilitySeconds, maxReceiveCount: 5 });
    // Inference on an engine thread as in the worker process: the event loop stays free for the lease beats.
    threaded = await openThreadedEngine({ kind: 'builtin' }, { threads: 1 });
    const slow = fakeEngine(threaded, { tileDelayMs: 3500 }); // the job takes well over the 2 s lease
    const deps = workerDeps(home, slow, visibilitySeconds);
    const jobId = await createQueuedJob(home, await syntheticPng(256, 3), 256);
    await enqueue(home, jobId);

    const controller = new AbortController();
    const workers = [1, 2].map(() => runWorker(deps, { signal: controller.signal, waitTimeSeconds: 1 }));
    const h = home;
    await waitFor('the job to succeed', async () => (await h.jobs.get(jobId))!.record.state === 'succeeded', 30_000);
    controller.abort();
    const stats = await Promise.all(workers);

    expect(slow.calls.prepares).toBe(1);
    expect((await home.jobs.get(jobId))!.record.attempts).toBe(1);
    expect(stats.reduce((sum, one) => sum + one.deliveries, 0)).toBe(1);
    expect(home.events.filter((entry) => entry.event.startsWith('lease.'))).toEqual([]);
    expect(await home.queue.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('on abort hands the running job back at once: queued again, message visible, nothing published, temp files gone', async () => {
    home = await openTestHome({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
    const slow = fakeEngine(engine, { tileDelayMs: 400 });
    const deps = workerDeps(home, slow, 30);
    const jobId = await createQueuedJob(home, await syntheticPng(540, 9), 540); // 4 tiles
    await enqueue(home, jobId);

    const controller = new AbortController();
    const worker = runWorker(deps, { signal: controller.signal, waitTimeSeconds: 1, progressIntervalMs: 50 });
    const h = home;
    await waitFor('progress on the running job', async () => (await h.jobs.get(jobId))!.record.progress, 20_000);
    const abortedAt = Date.now();
    controller.abort();
    const stats = await worker;
    const stopMs = Date.now() - abortedAt;

    expect(stats.outcomes['handed-back']).toBe(1);
    expect(stopMs).toBeLessThan(2000);
    const { record } = (await home.jobs.get(jobId))!;
    expect(record).toMatchObject({ state: 'queued', attempts: 1 });
    expect(record.progress).toBeUndefined();
    expect(await home.queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(await keysUnder(home.objects, `results/${jobId}/`)).toEqual([]);
    expect(await entriesOf(home.tempDir)).toEqual([]);
    const tilesAtStop = slow.calls.tiles;
    expect(tilesAtStop).toBeLessThan(4);

    // Another worker takes it straight away (then is stopped too: the job stays queued, nothing lost).
    const next = new AbortController();
    const pickedUpBy = Date.now();
    const second = runWorker(deps, { signal: next.signal, waitTimeSeconds: 1 });
    await waitFor('the job to run again', async () => (await h.jobs.get(jobId))!.record.attempts === 2, 5000);
    expect(Date.now() - pickedUpBy).toBeLessThan(1000);
    next.abort();
    expect((await second).outcomes['handed-back']).toBe(1);
    expect((await home.jobs.get(jobId))!.record).toMatchObject({ state: 'queued', attempts: 2 });
    expect(await home.queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
  });

  it('logs a failing queue and keeps polling with a back-off instead of crashing', async () => {
    home = await openTestHome({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
    const deps = workerDeps(home, engine, 30);
    let receives = 0;
    const { queue } = deps;
    // A queue whose database is unreachable: every receive throws.
    const flaky = {
      ...deps,
      queue: {
        receive: async () => {
          receives++;
          throw new Error('database is locked');
        },
        send: (body: string) => queue.send(body),
        changeVisibility: (receipt: string, seconds: number) => queue.changeVisibility(receipt, seconds),
        delete: (receipt: string) => queue.delete(receipt),
        depth: () => queue.depth(),
      },
    };
    const controller = new AbortController();
    const worker = runWorker(flaky, { signal: controller.signal, waitTimeSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    controller.abort();
    await worker;
    // 1 s, then 2 s: two receives in 1.5 s, not a busy loop.
    expect(receives).toBe(2);
    expect(home.events.filter((entry) => entry.event === 'queue.receive-failed')).toHaveLength(2);
    expect(home.events.at(-1)?.event).toBe('worker.stopped');
  });
});
