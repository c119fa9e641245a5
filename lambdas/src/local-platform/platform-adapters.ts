import {
  ANALYSIS_DEAD_LETTER_QUEUE_NAME,
  ANALYSIS_QUEUE_NAME,
  analysisQueuePolicy,
  stateDatabaseFile,
} from '@restain/gpu-worker';
import { LocalFolderObjectStore, SqliteJobQueue, SqliteJobStore, type StateDatabase, openStateDatabase } from '@restain/shared/node';
import type { PlatformConfig } from './config';

/** The local adapters of the ports, on the data folder: what the API, the drop folder and the sweeper share with the workers. */
export interface PlatformAdapters {
  readonly db: StateDatabase;
  readonly objects: LocalFolderObjectStore;
  /** The analysis queue (workers receive from it; its dead letters go to `deadLetters`). */
  readonly queue: SqliteJobQueue;
  readonly deadLetters: SqliteJobQueue;
  readonly jobs: SqliteJobStore;
}

/**
 * Opens the state database and the stores as the workers do (same queue names and policy, from
 * the worker's own config module, so both sides agree). `publicBaseUrl` is where signed URLs point.
 */
export function openPlatformAdapters(config: PlatformConfig, publicBaseUrl: string): PlatformAdapters {
  const db = openStateDatabase(stateDatabaseFile(config.dataDir));
  const policy = analysisQueuePolicy(config);
  return {
    db,
    objects: new LocalFolderObjectStore({ rootDir: config.dataDir, signedUrlBase: publicBaseUrl, signingSecret: config.signingSecret }),
    queue: new SqliteJobQueue(db, { name: ANALYSIS_QUEUE_NAME, policy, deadLetterQueueName: ANALYSIS_DEAD_LETTER_QUEUE_NAME }),
    deadLetters: new SqliteJobQueue(db, { name: ANALYSIS_DEAD_LETTER_QUEUE_NAME, policy }),
    jobs: new SqliteJobStore(db),
  };
}
