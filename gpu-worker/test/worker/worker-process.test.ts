import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ENV } from '@restain/shared';
import { type TestHome, createQueuedJob, enqueue, entriesOf, keysUnder, openTestHome, syntheticPng, waitFor } from './worker-fixture';

const ROOT = path.resolve(__dirname, '../../..');

// The shipped entry, bundled by scripts/build.mjs (jest's global setup runs it) with the engine thread beside it.
const WORKER = path.join(ROOT, 'dist', 'worker.js');

let home: TestHome;
let child: ChildProcess | undefined;

beforeAll(async () => {
  home = await openTestHome({ visibilityTimeoutSeconds: 30, maxReceiveCount: 3 });
  await mkdir(home.tempDir, { recursive: true });
});
afterAll(async () => {
  if (child?.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
  await home.close();
});

describe('worker process (node dist/worker.js)', () => {
  it('processes a job, then on SIGTERM hands the running one back and exits 0 within seconds', async () => {
    const worker = spawn(process.execPath, [WORKER], {
      cwd: home.dir,
      env: {
        PATH: process.env.PATH,
        TMPDIR: home.tempDir,
        [ENV.DATA_DIR]: home.dataDir,
        [ENV.VISIBILITY_TIMEOUT_SECONDS]: '30',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = worker;
    const lines: Record<string, unknown>[] = [];
    let partial = '';
    worker.stderr!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) lines.push(JSON.parse(line));
    });
    const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
    await waitFor('the worker to start', () => lines.some((line) => line.event === 'worker.started'), 30_000);

    const small = await createQueuedJob(home, await syntheticPng(256, 21), 256);
    await enqueue(home, small);
    await waitFor('the first job to succeed', async () => (await home.jobs.get(small))!.record.state === 'succeeded', 30_000);
    expect((await home.jobs.get(small))!.record.results[0].files).toContain('manifest.json');

    const large = await createQueuedJob(home, await syntheticPng(1400, 22), 1400); // 3 x 3 tiles
    await enqueue(home, large);
    const running = await waitFor('progress on the large job', async () => (await home.jobs.get(large))!.record.progress, 30_000);
    expect(running.tilesDone).toBeLessThan(running.tilesTotal);
    const signalledAt = Date.now();
    worker.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(() => resolve('still running'), 8000)))]);
    clearTimeout(timer);

    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    const { record } = (await home.jobs.get(large))!;
    expect(record).toMatchObject({ state: 'queued', attempts: 1 });
    expect(await home.queue.depth()).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(await keysUnder(home.objects, `results/${large}/`)).toEqual([]);
    expect(await entriesOf(home.tempDir)).toEqual([]); // per-job files and the analysis' temp files
    const events = lines.map((line) => line.event);
    expect(events).toEqual(expect.arrayContaining(['worker.config', 'job.succeeded', 'worker.stopping', 'job.handed-back', 'worker.stopped']));
    expect(lines.every((line) => typeof line.time === 'string' && line.pid === worker.pid)).toBe(true);
  });

  it('exits by itself when the process that started it is killed with -9', async () => {
    // A parent like the local platform: starts the worker, prints its PID, then dies without a word.
    const parentScript = `const c = require('node:child_process').spawn(process.execPath, [${JSON.stringify(WORKER)}], { stdio: ['ignore', 'ignore', 'inherit'] });
      process.stdout.write(String(c.pid) + '\\n'); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['-e', parentScript], {
      cwd: home.dir,
      env: { PATH: process.env.PATH, TMPDIR: home.tempDir, [ENV.DATA_DIR]: home.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const events: string[] = [];
    parent.stderr!.on('data', (chunk: Buffer) => events.push(...chunk.toString().split('\n').filter(Boolean).map((line) => JSON.parse(line).event)));
    const workerPid = await new Promise<number>((resolve) => parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    await waitFor('the worker to start', () => events.includes('worker.started'), 30_000);

    process.kill(parent.pid!, 'SIGKILL');
    const alive = () => {
      try {
        process.kill(workerPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor('the orphaned worker to exit', () => !alive(), 10_000);
    expect(events).toEqual(expect.arrayContaining(['worker.orphaned', 'worker.stopped']));
  });
});
