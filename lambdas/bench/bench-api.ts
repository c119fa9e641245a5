// `npm run bench:api`: starts the local platform on a temp data folder, measures pick-up latency on
// idle workers, then pushes a 50-job backlog of small synthetic images and measures throughput,
// status-request latency while the workers are busy, and lost jobs. Settings: BENCH_JOBS,
// BENCH_IMAGE_SIZE, and the platform's own (RESTAIN_WORKERS, ...), read here and nowhere else.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type JobJson, createJobWithImage, fetchWithin, syntheticPng, waitForJobs } from '../test/support/platform-api';
import { startPlatformProcess } from '../test/support/platform-process';
import { percentile, printReport } from './bench-report';

const BACKLOG_JOBS = Number(process.env.BENCH_JOBS ?? 50);
const IMAGE_SIZE = Number(process.env.BENCH_IMAGE_SIZE ?? 256);
const IDLE_PROBES = 10;
const STATUS_CLIENTS = 4;
const BACKLOG_TIMEOUT_MS = 20 * 60 * 1000;

function millisBetween(from: string | null, to: string | null): number | undefined {
  return from && to ? Date.parse(to) - Date.parse(from) : undefined;
}

/** Jobs submitted one at a time to idle workers: upload accepted -> worker started it. */
async function measurePickUp(url: string, png: Buffer): Promise<number[]> {
  const latencies: number[] = [];
  for (let probe = 0; probe < IDLE_PROBES; probe++) {
    const job = await createJobWithImage(url, png, { resolution: '40x' });
    const finished = (await waitForJobs(url, [job.id], 120_000)).get(job.id) as JobJson;
    const latency = millisBetween(finished.uploadedAt, finished.startedAt);
    if (latency !== undefined) latencies.push(latency);
  }
  return latencies;
}

/** GET /api/jobs/{id} in a loop from `STATUS_CLIENTS` clients until `stop` is set. */
async function hammerStatus(url: string, ids: readonly string[], stop: { done: boolean }): Promise<number[]> {
  const timings: number[] = [];
  await Promise.all(
    Array.from({ length: STATUS_CLIENTS }, async (_, client) => {
      for (let n = client; !stop.done; n++) {
        const started = performance.now();
        const response = await fetchWithin(`${url}/api/jobs/${ids[n % ids.length]}`);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`status request answered ${response.status}`);
        timings.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }),
  );
  return timings;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'restain-bench-api-'));
  const platform = await startPlatformProcess({ dataDir, cliPath: path.join(__dirname, 'restain.js'), env: { RESTAIN_HOST: '127.0.0.1' } });
  const workers = platform.workerPids().length;
  process.stdout.write(`platform at ${platform.url} with ${workers} worker(s); data in ${dataDir}\n`);
  try {
    const images = await Promise.all(Array.from({ length: 5 }, (_, seed) => syntheticPng(IMAGE_SIZE, seed + 1)));
    // Warm-up: the first job loads the engine in each worker.
    await waitForJobs(platform.url, [(await createJobWithImage(platform.url, images[0], { resolution: '40x' })).id], 120_000);
    const pickUp = await measurePickUp(platform.url, images[1]);

    const backlogStart = Date.now();
    const ids: string[] = [];
    for (let n = 0; n < BACKLOG_JOBS; n++) ids.push((await createJobWithImage(platform.url, images[n % images.length], { resolution: '40x' })).id);
    const submittedMs = Date.now() - backlogStart;
    const stop = { done: false };
    const statusTimings = hammerStatus(platform.url, ids, stop);
    let finished: Map<string, JobJson>;
    try {
      finished = await waitForJobs(platform.url, ids, BACKLOG_TIMEOUT_MS);
    } finally {
      stop.done = true;
    }
    const status = await statusTimings;
    const jobs = [...finished.values()];
    const lastFinish = Math.max(...jobs.map((job) => Date.parse(job.finishedAt ?? '')));
    const queueWaits = jobs.map((job) => millisBetween(job.uploadedAt, job.startedAt)).filter((ms): ms is number => ms !== undefined);
    const succeeded = jobs.filter((job) => job.state === 'succeeded' && job.resultVersion === 1);
    printReport({
      workers,
      imageSize: IMAGE_SIZE,
      backlogJobs: BACKLOG_JOBS,
      submitSeconds: submittedMs / 1000,
      jobsPerMinute: (BACKLOG_JOBS / (lastFinish - backlogStart)) * 60_000,
      pickUpMs: { p50: percentile(pickUp, 50), p95: percentile(pickUp, 95), max: Math.max(...pickUp), n: pickUp.length },
      queueWaitMs: { p50: percentile(queueWaits, 50), p95: percentile(queueWaits, 95) },
      statusMs: { p50: percentile(status, 50), p95: percentile(status, 95), max: Math.max(...status), n: status.length },
      lost: BACKLOG_JOBS - succeeded.length,
      notSucceeded: jobs.filter((job) => job.state !== 'succeeded').map((job) => `${job.id}: ${job.state} ${job.error?.message ?? ''}`),
    });
  } finally {
    await platform.stop('SIGTERM', 60_000);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-api failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
