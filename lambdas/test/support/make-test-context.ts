import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalFolderObjectStore, SqliteJobQueue, SqliteJobStore, type StateDatabase, openStateDatabase } from '@restain/shared/node';
import type { ApiConfig, AppContext } from '../../src/api/app-context';

/** The config tests start from: loopback (no keys required), generous limits, short URLs' lifetime. */
export const TEST_API_CONFIG: ApiConfig = Object.freeze({
  publicBaseUrl: 'http://127.0.0.1:1',
  requireApiKeys: false,
  anonymousDeepliif: false,
  rateLimitPerMinute: 1000,
  syncMaxPixels: 3000 * 3000,
  jobMaxPixels: 10000 * 10000,
  maxUploadBytes: 20 * 1024 * 1024,
  retentionSeconds: 7 * 24 * 3600,
  signedUrlTtlSeconds: 900,
  syncTimeoutSeconds: 30,
  tempDir: '',
});

export interface TestContext {
  /** A real AppContext: folder object store, SQLite queue and job store, all in `dir`. */
  readonly context: AppContext;
  readonly objects: LocalFolderObjectStore;
  readonly queue: SqliteJobQueue;
  readonly db: StateDatabase;
  /** Root of everything this context wrote (removed by close). */
  readonly dir: string;
  /** The object store's root folder. */
  readonly dataDir: string;
  close(): void;
}

export interface TestContextOptions {
  readonly config?: Partial<ApiConfig>;
  /** Origin signed URLs point at (the test server's URL); default publicBaseUrl. */
  readonly signedUrlBase?: string;
  readonly now?: () => Date;
}

/**
 * A real AppContext on the local adapters in a fresh temporary folder, for lambdas tests: no
 * fakes. The queue is named `analysis` with a 60 s visibility timeout and 3 receives.
 */
export function makeTestContext(options: TestContextOptions = {}): TestContext {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'restain-api-'));
  const dataDir = path.join(dir, 'data');
  const tempDir = path.join(dir, 'tmp');
  mkdirSync(tempDir, { recursive: true });
  const config: ApiConfig = { ...TEST_API_CONFIG, tempDir, ...options.config };
  const db = openStateDatabase(path.join(dir, 'state', 'restain.sqlite'));
  const objects = new LocalFolderObjectStore({ rootDir: dataDir, signedUrlBase: options.signedUrlBase ?? config.publicBaseUrl, signingSecret: 'test-signing-secret' });
  const queue = new SqliteJobQueue(db, {
    name: 'analysis',
    deadLetterQueueName: 'analysis-dlq',
    policy: { visibilityTimeoutSeconds: 60, maxReceiveCount: 3, retentionSeconds: 3600 },
  });
  const context: AppContext = { objects, queue, jobs: new SqliteJobStore(db), config, now: options.now ?? (() => new Date()) };
  return {
    context,
    objects,
    queue,
    db,
    dir,
    dataDir,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
