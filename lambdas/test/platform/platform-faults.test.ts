// Fault tests against the real platform (`restain start` child processes on 127.0.0.1, temp data
// folders): workers SIGKILLed under load, duplicate queue messages, the whole stack killed with -9
// and restarted, a job that kills its worker every time. Every wait is bounded.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ANALYSIS_DEAD_LETTER_QUEUE_NAME, ANALYSIS_QUEUE_NAME, analysisQueuePolicy, stateDatabaseFile } from '@restain/gpu-worker';
import { encodeJobMessage } from '@restain/shared';
import { SqliteJobQueue, openStateDatabase } from '@restain/shared/node';
import { type JobJson, bodyOf, createJobWithImage, fetchWithin, getJob, syntheticPng, waitForJobs, waitUntil } from '../support/platform-api';
import { type PlatformProcess, startPlatformProcess } from '../support/platform-process';

jest.setTimeout(240_000);

/** Small leases so a killed worker's job comes back within seconds (workers extend every third). */
const FAST_LEASES = { RESTAIN_VISIBILITY_TIMEOUT_SECONDS: '3' };

let dir: string;
let images: Buffer[];
const running: PlatformProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'restain-faults-'));
  images = await Promise.all([1, 2, 3, 4, 5].map((seed) => syntheticPng(256, seed)));
});

afterAll(async () => {
  for (const platform of running) await platform.killHard().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function start(dataDir: string, workers: number, env: Record<string, string> = {}): Promise<PlatformProcess> {
  const platform = await startPlatformProcess({ dataDir, workers, env: { ...FAST_LEASES, ...env } });
  running.push(platform);
  return platform;
}

async function submit(url: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) ids.push((await createJobWithImage(url, images[n % images.length], { resolution: '40x' })).id);
  return ids;
}

/** Exactly one published result per job: one version folder on disk, holding exactly the files the record lists. */
async function expectOneResultEach(dataDir: string, jobs: Map<string, JobJson>, url: string): Promise<void> {
  for (const [id, job] of jobs) {
    expect({ id, state: job.state, version: job.resultVersion, error: job.error }).toEqual({ id, state: 'succeeded', version: 1, error: null });
    expect(await readdir(path.join(dataDir, 'results', id))).toEqual(['v1']);
    const results = await (await fetchWithin(`${url}/api/jobs/${id}/results`)).json();
    expect((await readdir(path.join(dataDir, 'results', id, 'v1'))).sort()).toEqual(results.files.map((file: { name: string }) => file.name).sort());
  }
  // Writes the killed workers had in progress are cleared from the store's temp folder.
  await waitUntil('abandoned temp files to be cleared', async () => ((await readdir(path.join(dataDir, '.tmp')).catch(() => [])).length === 0 ? true : undefined), 10_000, 100);
}

async function queueIsEmpty(url: string): Promise<void> {
  await waitUntil('the queue to drain', async () => {
    const health = await (await fetchWithin(`${url}/api/health`)).json();
    return health.queue.visible === 0 && health.queue.inFlight === 0 ? true : undefined;
  }, 30_000, 200);
}

describe('a worker SIGKILLed every few seconds under a 100-job backlog', () => {
  it('ends with every job done exactly once', async () => {
    const dataDir = path.join(dir, 'kill-workers');
    // Receives are not the point here: a job hit by several kills must not be dead-lettered.
    const platform = await start(dataDir, 2, { RESTAIN_MAX_RECEIVES: '10' });
    const ids = await submit(platform.url, 100);
    let kills = 0;
    const killer = setInterval(() => {
      const pids = platform.workerPids();
      if (pids.length === 0) return;
      process.kill(pids[kills % pids.length], 'SIGKILL');
      kills++;
    }, 3000);
    let jobs: Map<string, JobJson>;
    try {
      jobs = await waitForJobs(platform.url, ids, 200_000);
    } finally {
      clearInterval(killer);
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(platform.output()).toMatch(/worker \d \(pid \d+\) exited \(signal SIGKILL\).*restarting/);
    await expectOneResultEach(dataDir, jobs, platform.url);
    await queueIsEmpty(platform.url);
    // Killed workers' half-made analysis files do not pile up: each slot's scratch folder is emptied
    // before its worker restarts, so an idle worker holds only its own (empty) work folder.
    const scratch = path.join(dataDir, 'tmp', 'workers');
    expect((await readdir(scratch)).sort()).toEqual(['worker-1', 'worker-2']);
    for (const slot of ['worker-1', 'worker-2']) {
      // (The last job's folder goes just after its message is deleted: allow a moment.)
      await waitUntil(`${slot}'s scratch to hold only its empty work folder`, async () => {
        const left = await readdir(path.join(scratch, slot));
        return left.length === 1 && (await readdir(path.join(scratch, slot, left[0]))).length === 0 ? true : undefined;
      }, 10_000, 100);
    }
    expect((await platform.stop()).code).toBe(0);
  });
});

describe('duplicate messages and the whole stack killed with -9', () => {
  const dataDir = () => path.join(dir, 'restart');
  let ids: string[];

  it('accepts jobs with no worker running, each enqueued twice', async () => {
    const platform = await start(dataDir(), 0);
    ids = await submit(platform.url, 12);
    const db = openStateDatabase(stateDatabaseFile(dataDir()));
    const queue = new SqliteJobQueue(db, {
      name: ANALYSIS_QUEUE_NAME,
      policy: analysisQueuePolicy({ visibilityTimeoutSeconds: 3, maxReceiveCount: 3 }),
      deadLetterQueueName: ANALYSIS_DEAD_LETTER_QUEUE_NAME,
    });
    for (const id of ids) await queue.send(encodeJobMessage({ jobId: id }));
    expect((await queue.depth()).visible).toBe(24);
    db.close();
    await platform.killHard();
  });

  it('a platform killed with -9 mid-work and restarted completes every accepted job, one result each', async () => {
    const first = await start(dataDir(), 1);
    expect(first.output()).not.toMatch(/already running/);
    await waitUntil('a few jobs to finish and one to run', async () => {
      const states = await Promise.all(ids.map(async (id) => (await getJob(first.url, id))?.state));
      return states.filter((state) => state === 'succeeded').length >= 3 && states.includes('running') ? true : undefined;
    }, 60_000, 100);
    await first.killHard();
    const second = await start(dataDir(), 2);
    const jobs = await waitForJobs(second.url, ids, 90_000);
    await expectOneResultEach(dataDir(), jobs, second.url);
    await queueIsEmpty(second.url);
    expect((await second.stop()).code).toBe(0);
  });
});

describe('a job that kills its worker every time it runs', () => {
  it('goes to the dead-letter queue after 3 receives with the reason on its record; the next job still runs', async () => {
    const dataDir = path.join(dir, 'poison');
    const platform = await start(dataDir, 1, { RESTAIN_VISIBILITY_TIMEOUT_SECONDS: '2', RESTAIN_MAX_RECEIVES: '3' });
    // Large enough to be seen running before it finishes; the test plays the OOM killer.
    const poison = await createJobWithImage(platform.url, await syntheticPng(1400, 9), { resolution: '40x' });
    const killedAt = new Set<number>();
    const deadline = Date.now() + 90_000;
    let job = await getJob(platform.url, poison.id);
    while (job && job.state !== 'failed' && Date.now() < deadline) {
      if (job.state === 'running' && !killedAt.has(job.attempts)) {
        killedAt.add(job.attempts);
        for (const pid of platform.workerPids()) process.kill(pid, 'SIGKILL');
      }
      await new Promise((resolve) => setTimeout(resolve, 30));
      job = await getJob(platform.url, poison.id);
    }
    expect([...killedAt]).toEqual([1, 2, 3]);
    expect(job?.state).toBe('failed');
    expect(job?.attempts).toBe(3);
    expect(job?.error?.code).toBe('WORKER_CRASHED');
    expect(job?.error?.message).toMatch(/failed 3 times .*dead-letter queue/);
    expect(job?.resultVersion).toBeNull();
    expect(await readdir(path.join(dataDir, 'results')).catch(() => [])).toEqual([]);
    const [next] = await submit(platform.url, 1);
    expect((await waitForJobs(platform.url, [next], 60_000)).get(next)?.state).toBe('succeeded');
    expect((await platform.stop()).code).toBe(0);
  });
});

describe('a full disk under the data folder', () => {
  // A real small filesystem (tmpfs) as the data folder: mounting needs root (CAP_SYS_ADMIN).
  it('answers 507/503 with a reason, keeps no partial job or result, and recovers once space is freed', async () => {
    const mountPoint = path.join(dir, 'small-disk');
    await mkdir(mountPoint);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mountPoint]);
    try {
      const dataDir = path.join(mountPoint, 'data');
      const platform = await start(dataDir, 1);
      const [first] = await submit(platform.url, 1);
      expect((await waitForJobs(platform.url, [first], 60_000)).get(first)?.state).toBe('succeeded');
      const ballast = path.join(mountPoint, 'ballast');
      await fillDisk(ballast);

      const refused = await postImage(`${platform.url}/api/jobs`, 'file', images[1]);
      expect(refused.status).toBe(507);
      expect(refused.body.error.code).toBe('INSUFFICIENT_STORAGE');
      const infer = await postImage(`${platform.url}/api/infer?resolution=40x`, 'img', images[2]);
      expect(infer.status).toBe(507);

      const listed = await (await fetchWithin(`${platform.url}/api/jobs`)).json();
      expect(listed.jobs.filter((job: JobJson) => job.state !== 'failed').map((job: JobJson) => job.id)).toEqual([first]);
      expect(await readdir(path.join(dataDir, 'results'))).toEqual([first]);
      expect(await readdir(path.join(dataDir, 'inputs'))).toEqual([first]);
      expect((await fetchWithin(`${platform.url}/api/health`)).status).toBe(200);

      await rm(ballast);
      const [after] = await submit(platform.url, 1);
      expect((await waitForJobs(platform.url, [after], 60_000)).get(after)?.state).toBe('succeeded');
      expect((await platform.stop()).code).toBe(0);
    } finally {
      execFileSync('umount', ['-l', mountPoint]);
    }
  });
});

/** Writes zeros to `file` until the filesystem says ENOSPC. */
async function fillDisk(file: string): Promise<void> {
  const handle = await open(file, 'w');
  const chunk = Buffer.alloc(1024 * 1024);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function postImage(url: string, field: string, png: Buffer): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  const form = new FormData();
  form.append(field, new Blob([bodyOf(png)], { type: 'image/png' }), 'image.png');
  const response = await fetchWithin(url, { method: 'POST', body: form });
  return { status: response.status, body: await response.json() };
}
