import { markRunning, updateJob } from '@restain/shared';
import { createEngine } from '../../src/engines/create-engine';
import type { Engine } from '../../src/engines/engine';
import { processJob } from '../../src/worker/process-job';
import { reportProgress } from '../../src/worker/progress-reporter';
import { type TestHome, createQueuedJob, enqueue, fakeEngine, openTestHome, receiveOne, syntheticPng, workerDeps } from './worker-fixture';

const VISIBILITY_SECONDS = 30;

let engine: Engine;
let home: TestHome;

beforeAll(async () => {
  engine = await createEngine({ kind: 'builtin' });
});
beforeEach(async () => {
  home = await openTestHome({ visibilityTimeoutSeconds: VISIBILITY_SECONDS, maxReceiveCount: 3 });
});
afterEach(() => home.close());

describe('processJob progress', () => {
  it('writes tile progress to the running job record, throttled, and keeps the final count', async () => {
    const bigPng = await syntheticPng(540, 11); // 2 x 2 tiles at 40x (three of them thin)
    const jobId = await createQueuedJob(home, bigPng, 540);
    await enqueue(home, jobId);
    const seen: string[] = [];
    let done = false;
    const watcher = (async () => {
      while (!done) {
        const { record } = (await home.jobs.get(jobId))!;
        if (record.state === 'running' && record.progress) seen.push(`${record.progress.tilesDone}/${record.progress.tilesTotal}`);
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();
    const deps = workerDeps(home, fakeEngine(engine, { tileDelayMs: 250 }), VISIBILITY_SECONDS);
    const outcome = await processJob(deps, await receiveOne(home, VISIBILITY_SECONDS), { progressIntervalMs: 100 });
    done = true;
    await watcher;

    expect(outcome.kind).toBe('succeeded');
    expect(seen).toContain('1/4');
    expect(seen.some((text) => text === '2/4' || text === '3/4')).toBe(true);
    const final = (await home.jobs.get(jobId))!;
    expect(final.record.progress).toEqual({ tilesDone: 4, tilesTotal: 4 });
    // No throttled write lands after the final state.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await home.jobs.get(jobId))!.version).toBe(final.version);
  });

  it('writes at most once per interval, the latest count, only for the running attempt, and nothing after stop', async () => {
    const jobId = await createQueuedJob(home, await syntheticPng(64, 1), 64);
    const start = (await updateJob(home.jobs, jobId, (record) => markRunning(record, 1, new Date())))!;
    const log = (event: string) => home.events.push({ event, fields: {} });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const reporter = reportProgress(home.jobs, jobId, 1, { intervalMs: 300, now: () => new Date(), log });
    const stale = reportProgress(home.jobs, jobId, 2, { intervalMs: 0, now: () => new Date(), log });

    reporter.report({ tilesDone: 1, tilesTotal: 50 });
    stale.report({ tilesDone: 49, tilesTotal: 50 });
    await sleep(100);
    const first = (await home.jobs.get(jobId))!;
    expect(first.record.progress).toEqual({ tilesDone: 1, tilesTotal: 50 }); // the first count goes at once
    expect(Number(first.version)).toBe(Number(start.version) + 1); // the stale attempt wrote nothing
    for (let done = 2; done <= 50; done++) reporter.report({ tilesDone: done, tilesTotal: 50 });
    await sleep(50);
    expect((await home.jobs.get(jobId))!.version).toBe(first.version); // within the interval: held back
    await sleep(400);
    const second = (await home.jobs.get(jobId))!;
    expect(second.record.progress).toEqual({ tilesDone: 50, tilesTotal: 50 }); // then only the latest
    expect(Number(second.version)).toBe(Number(start.version) + 2);

    reporter.report({ tilesDone: 50, tilesTotal: 50 });
    await reporter.stop();
    await stale.stop();
    await sleep(400);
    expect((await home.jobs.get(jobId))!.version).toBe(second.version);
    expect(home.events).toEqual([]);
  });
});
