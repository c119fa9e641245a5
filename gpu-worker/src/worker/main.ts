// The analysis worker process (`node dist/worker.js`): local adapters on the data folder, one
// engine, one job at a time. The local platform starts N of these; SIGTERM hands the job back.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalFolderObjectStore, SqliteJobQueue, SqliteJobStore, openStateDatabase } from '@restain/shared/node';
import { removeTrackedDirsSync } from '../analysis/temp-dirs';
import { openThreadedEngine } from '../engines/threaded-engine';
import { keepDrainingDeadLetters } from './dead-letters';
import { runWorker } from './run-worker';
import {
  ANALYSIS_DEAD_LETTER_QUEUE_NAME,
  ANALYSIS_QUEUE_NAME,
  type WorkerConfig,
  analysisQueuePolicy,
  readWorkerConfig,
  stateDatabaseFile,
} from './worker-config';
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

async function work(config: WorkerConfig, signal: AbortSignal): Promise<void> {
  const db = openStateDatabase(stateDatabaseFile(config.dataDir));
  const policy = analysisQueuePolicy(config);
  const queue = new SqliteJobQueue(db, { name: ANALYSIS_QUEUE_NAME, policy, deadLetterQueueName: ANALYSIS_DEAD_LETTER_QUEUE_NAME });
  const deadLetters = new SqliteJobQueue(db, { name: ANALYSIS_DEAD_LETTER_QUEUE_NAME, policy });
  const jobs = new SqliteJobStore(db);
  // The worker never signs URLs; the store requires a secret, so it gets one nobody knows.
  const objects = new LocalFolderObjectStore({ rootDir: config.dataDir, signedUrlBase: 'http://127.0.0.1', signingSecret: randomBytes(32).toString('hex') });
  const engine = await openThreadedEngine(config.engine, {
    threads: config.engineThreads,
    log: (line) => log('engine.notice', { line }),
    // A tile still running at shutdown is abandoned quickly: its job was handed back already.
    closeTimeoutMs: 1000,
  });
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'restain-worker-'));
  try {
    const deps = { objects, queue, jobs, engine, tempDir, retentionSeconds: config.retentionSeconds, visibilityTimeoutSeconds: config.visibilityTimeoutSeconds, now: () => new Date(), log };
    const drainer = keepDrainingDeadLetters({ ...deps, deadLetters, maxReceiveCount: config.maxReceiveCount }, { signal, intervalMs: DEAD_LETTER_INTERVAL_MS });
    await runWorker(deps, { signal, waitTimeSeconds: WAIT_TIME_SECONDS, concurrency: config.engineThreads });
    await drainer;
  } finally {
    await engine.close();
    await rm(tempDir, { recursive: true, force: true });
    db.close();
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
  log('worker.config', { dataDir: config.dataDir, engine: config.engine.kind, engineThreads: config.engineThreads, visibilityTimeoutSeconds: config.visibilityTimeoutSeconds, maxReceiveCount: config.maxReceiveCount, retentionSeconds: config.retentionSeconds });
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
