// The analysis worker process (`node dist/worker.js`): one engine, one job at a time, on the data
// folder (the local platform starts N of these) or on S3 and SQS (one per ECS task on AWS, with
// scale-in protection while a job runs and a heartbeat for the container health check).
// SIGTERM hands the job back.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { removeTrackedDirsSync } from '../analysis/temp-dirs';
import type { EngineSpec } from '../engines/engine';
import { openThreadedEngine } from '../engines/threaded-engine';
import { keepDrainingDeadLetters } from './dead-letters';
import { downloadModelFolder } from './download-model-folder';
import { runWorker } from './run-worker';
import { ecsTaskProtection } from './ecs-task-protection';
import { type WorkerConfig, readWorkerConfig } from './worker-config';
import { startHeartbeat } from './worker-heartbeat';
import { type WorkerHome, openWorkerHome } from './worker-home';
import { type WorkerLog, describeError } from './worker-deps';

/** SQS's longest long poll: an idle worker costs one query per poll interval, no busy loop. */
const WAIT_TIME_SECONDS = 20;
const DEAD_LETTER_INTERVAL_MS = 5000;
/** How often the worker checks that the process that started it is still alive. */
const PARENT_CHECK_INTERVAL_MS = 1000;

/** After SIGTERM the worker exits within this even if something hangs (ECS waits 30 s by default). */
const SHUTDOWN_DEADLINE_MS = 10_000;

const log: WorkerLog = (event, fields = {}) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), pid: process.pid, event, ...fields })}\n`);
};

/** The engine to open: a model in S3 is fetched first into this worker's temp folder. */
async function engineSpec(config: WorkerConfig, home: WorkerHome, tempDir: string): Promise<EngineSpec> {
  const remote = config.remoteModel;
  if (!remote || config.engine.kind !== 'onnx') return config.engine;
  const modelDir = path.join(tempDir, 'model');
  const started = Date.now();
  const sameBucket = home.kind === 'aws' && config.aws?.bucket === remote.bucket;
  const store = sameBucket ? { objects: home.objects, close: () => undefined } : (await import('./aws-worker-home')).openModelStore(remote.bucket);
  try {
    const fetched = await downloadModelFolder(store.objects, remote.prefix, modelDir);
    log('model.fetched', { bucket: remote.bucket, prefix: remote.prefix, ...fetched, ms: Date.now() - started });
  } finally {
    store.close();
  }
  return { ...config.engine, modelDir };
}

async function work(config: WorkerConfig, signal: AbortSignal): Promise<void> {
  const home = await openWorkerHome(config);
  const stopHeartbeat = config.heartbeatFile ? startHeartbeat(config.heartbeatFile, log) : async () => undefined;
  const protection = config.taskProtection ? ecsTaskProtection({ ...config.taskProtection, log }) : undefined;
  let engine: Awaited<ReturnType<typeof openThreadedEngine>> | undefined;
  let tempDir: string | undefined;
  try {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'restain-worker-'));
    engine = await openThreadedEngine(await engineSpec(config, home, tempDir), {
      threads: config.engineThreads,
      log: (line) => log('engine.notice', { line }),
      // A tile still running at shutdown is abandoned quickly: its job was handed back already.
      closeTimeoutMs: 1000,
    });
    const deps = { objects: home.objects, queue: home.queue, jobs: home.jobs, engine, tempDir, retentionSeconds: config.retentionSeconds, visibilityTimeoutSeconds: config.visibilityTimeoutSeconds, now: () => new Date(), log };
    const drainer = home.deadLetters
      ? keepDrainingDeadLetters({ ...deps, deadLetters: home.deadLetters, maxReceiveCount: config.maxReceiveCount }, { signal, intervalMs: DEAD_LETTER_INTERVAL_MS })
      : Promise.resolve();
    await runWorker(deps, { signal, waitTimeSeconds: WAIT_TIME_SECONDS, concurrency: config.engineThreads, onBusyChange: protection?.setBusy });
    await drainer;
  } finally {
    protection?.stop();
    await stopHeartbeat();
    await engine?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
    home.close();
  }
}

async function main(): Promise<number> {
  let config: WorkerConfig;
  try {
    config = readWorkerConfig();
  } catch (error) {
    log('worker.config-invalid', { error: describeError(error) });
    return 2;
  }
  const controller = new AbortController();
  for (const [signal, number] of [['SIGTERM', 15], ['SIGINT', 2]] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) {
        // A second signal: stop now; temp files go, the queue re-delivers the job after its lease.
        removeTrackedDirsSync();
        log('worker.killed', { signal });
        process.exit(128 + number);
      }
      log('worker.stopping', { signal });
      controller.abort();
      setTimeout(() => {
        removeTrackedDirsSync();
        log('worker.shutdown-timeout', { afterMs: SHUTDOWN_DEADLINE_MS });
        process.exit(1);
      }, SHUTDOWN_DEADLINE_MS).unref();
    });
  }
  // The platform that started this worker died (kill -9): hand the job back and go, rather than
  // live on as an orphan. A worker whose parent never changes (PID 1 in a container) is unaffected.
  const parentPid = process.ppid;
  const parentWatch = setInterval(() => {
    if (process.ppid === parentPid || controller.signal.aborted) return;
    log('worker.orphaned', { parentPid });
    process.emit('SIGTERM');
  }, PARENT_CHECK_INTERVAL_MS);
  parentWatch.unref();
  log('worker.config', { home: config.aws ? { bucket: config.aws.bucket, queueUrl: config.aws.queueUrl } : { dataDir: config.dataDir }, taskProtection: config.taskProtection !== undefined, heartbeatFile: config.heartbeatFile, engine: config.engine.kind, engineThreads: config.engineThreads, visibilityTimeoutSeconds: config.visibilityTimeoutSeconds, maxReceiveCount: config.maxReceiveCount, retentionSeconds: config.retentionSeconds });
  await work(config, controller.signal);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    log('worker.crashed', { error: describeError(error) });
    process.exitCode = 70;
  },
);
