import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { keepDrainingDeadLetters } from '@restain/gpu-worker';
import { OBJECT_PREFIXES, RestainError } from '@restain/shared';
import { type ApiApp, createApiApp } from '../api/app';
import type { AppContext } from '../api/app-context';
import { errorResponse } from '../api/error-response';
import { deliverFinishedDrops } from '../drop-folder/deliver-outbox';
import { watchInbox } from '../drop-folder/scan-inbox';
import { acceptUploadedObject } from '../jobs/accept-uploaded-object';
import { type PlatformConfig, workerEnvironment } from './config';
import { acquireInstanceLock } from './instance-lock';
import { type RunningServer, startNodeServer } from './node-server';
import { type PlatformAdapters, openPlatformAdapters } from './platform-adapters';
import { recoverAcceptedUploads } from './recover-accepted-uploads';
import { startRetentionSweeper } from './retention-sweeper';
import { SIGNED_OBJECT_PATH_PREFIX, createSignedObjectRoute } from './signed-object-route';
import { createStaticSiteRoute } from './static-site-route';
import { WorkerPool } from './worker-pool';

export interface StartPlatformOptions {
  /** The worker entry script (dist/worker.js beside the CLI bundle). */
  readonly workerScript: string;
  /** The web app's static export (web/out), served on every path outside /api. */
  readonly webRoot: string;
  /** One line per event. */
  readonly log: (line: string) => void;
}

/** A started platform: where it listens, and how to stop it. */
export interface RunningPlatform {
  readonly url: string;
  readonly workers: WorkerPool;
  /** Graceful stop: stop accepting, hand running jobs back, close everything. Safe to call twice. */
  stop(): Promise<void>;
  /** Last resort after a second Ctrl-C: SIGKILL the workers (their jobs return when their leases end). */
  kill(): void;
}

const DEAD_LETTER_INTERVAL_MS = 2000;
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/** Workers get this long to hand their jobs back after SIGTERM (each stops itself within 10 s). */
const WORKER_STOP_GRACE_MS = 15_000;

function notReady(): ApiApp {
  return async () => errorResponse(new RestainError('UNAVAILABLE', 'The platform is still starting; try again in a moment'), 'starting', () => undefined, 'starting');
}

async function listen(config: PlatformConfig, app: { current: ApiApp }, objectsRoute: { current: ApiApp }, webRoot: string, log: (line: string) => void): Promise<RunningServer> {
  const api: ApiApp = (request) => app.current(request);
  try {
    return await startNodeServer(api, {
      host: config.host,
      port: config.port,
      // Signed object URLs first; the web app takes every other path and hands /api back to the API.
      extraRoutes: [
        { pathPrefix: SIGNED_OBJECT_PATH_PREFIX, handler: (request) => objectsRoute.current(request) },
        createStaticSiteRoute({ rootDir: webRoot, api }),
      ],
      log,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new RestainError('UNAVAILABLE', `Port ${config.port} on ${config.host} is already in use; stop what uses it or set PORT to another port`);
    if (code === 'EADDRNOTAVAIL') throw new RestainError('INVALID_ARGUMENT', `Expected RESTAIN_HOST to be an address of this machine but received ${JSON.stringify(config.host)}`);
    throw error;
  }
}

/**
 * Starts the whole local platform in this process tree: the API (and signed object URLs) on the
 * Node server, N worker processes, the dead-letter drainer, the drop-folder watcher and outbox
 * delivery, and the retention sweeper. One platform per data folder (a lock file says who runs).
 */
export async function startPlatform(config: PlatformConfig, options: StartPlatformOptions): Promise<RunningPlatform> {
  const { log } = options;
  await mkdir(config.stateDir, { recursive: true });
  const lock = acquireInstanceLock(config.stateDir, config.dataDir);
  let adapters: PlatformAdapters | undefined;
  let server: RunningServer | undefined;
  try {
    // Request bodies staged by a previous run that was killed are garbage now.
    await rm(config.api.tempDir, { recursive: true, force: true });
    for (const dir of [config.api.tempDir, path.join(config.dataDir, OBJECT_PREFIXES.inbox), path.join(config.dataDir, OBJECT_PREFIXES.outbox)]) {
      await mkdir(dir, { recursive: true });
    }
    const app = { current: notReady() };
    const objectsRoute = { current: notReady() };
    server = await listen(config, app, objectsRoute, options.webRoot, log);
    const publicBaseUrl = config.publicUrl ?? server.url;
    adapters = openPlatformAdapters(config, publicBaseUrl);
    const opened = adapters;
    const workers = new WorkerPool({
      size: config.workers,
      script: options.workerScript,
      env: workerEnvironment(config),
      log,
      pidFile: path.join(config.stateDir, 'workers.pid'),
      scratchRoot: path.join(config.api.tempDir, 'workers'),
      // A killed worker leaves its in-progress writes in the store's temp folder: never objects, but space.
      onUnexpectedExit: () => void clearAbandonedWrites(opened, log),
    });
    const context: AppContext = {
      objects: adapters.objects,
      queue: adapters.queue,
      jobs: adapters.jobs,
      config: Object.freeze({ ...config.api, publicBaseUrl }),
      now: () => new Date(),
      fleet: {
        describe: async () => {
          const running = workers.pids().length;
          return { desiredWorkers: config.workers, runningWorkers: running, pendingWorkers: Math.max(0, config.workers - running) };
        },
      },
    };
    await clearAbandonedWrites(adapters, log);
    const recovered = await recoverAcceptedUploads(context, log);
    if (recovered.requeued + recovered.accepted > 0) {
      log(`recovered ${recovered.requeued} uploaded job(s) and ${recovered.accepted} signed upload(s) left by the last run`);
    }
    app.current = createApiApp(context, { log });
    objectsRoute.current = createSignedObjectRoute({
      objects: adapters.objects,
      maxUploadBytes: config.api.maxUploadBytes,
      onUploaded: async (key) => {
        if (key.startsWith(OBJECT_PREFIXES.uploads)) await acceptUploadedObject(context, key);
      },
      log,
    }).handler;
    return runServices(config, options, context, adapters, server, workers, lock.release);
  } catch (error) {
    await server?.close();
    adapters?.db.close();
    lock.release();
    throw error;
  }
}

async function clearAbandonedWrites(adapters: PlatformAdapters, log: (line: string) => void): Promise<void> {
  try {
    await adapters.objects.removeAbandonedTempFiles();
  } catch (error) {
    log(`could not clear abandoned temp files: ${(error as Error).message}`);
  }
}

function runServices(
  config: PlatformConfig,
  options: StartPlatformOptions,
  context: AppContext,
  adapters: PlatformAdapters,
  server: RunningServer,
  workers: WorkerPool,
  releaseLock: () => void,
): RunningPlatform {
  const { log } = options;
  workers.start();
  const background = new AbortController();
  const signal = background.signal;
  const loops = [
    keepDrainingDeadLetters(
      {
        jobs: adapters.jobs,
        deadLetters: adapters.deadLetters,
        maxReceiveCount: config.maxReceiveCount,
        retentionSeconds: config.api.retentionSeconds,
        now: context.now,
        log: (event, fields) => {
          if (event !== 'dead-letter.job-already-finished') log(`${event} ${JSON.stringify(fields ?? {})}`);
        },
      },
      { signal, intervalMs: DEAD_LETTER_INTERVAL_MS },
    ),
    watchInbox(context, { signal, log }),
    deliverFinishedDrops(context, { signal, log }),
  ];
  const stopSweeper = startRetentionSweeper(
    { jobs: adapters.jobs, objects: adapters.objects, retentionSeconds: config.api.retentionSeconds, now: context.now, log },
    RETENTION_INTERVAL_MS,
  );
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    workers,
    kill: () => workers.kill(),
    stop: () =>
      (stopped ??= (async () => {
        background.abort();
        // Stop accepting requests while the workers hand their jobs back; both are bounded.
        await Promise.all([server.close(), workers.stop(WORKER_STOP_GRACE_MS)]);
        await Promise.allSettled(loops);
        await stopSweeper();
        adapters.db.close();
        releaseLock();
      })()),
  };
}
