import { randomBytes } from 'node:crypto';
import { LocalFolderObjectStore, SqliteJobQueue, SqliteJobStore, openStateDatabase } from '@restain/shared/node';
import { ANALYSIS_DEAD_LETTER_QUEUE_NAME, ANALYSIS_QUEUE_NAME, type WorkerConfig, analysisQueuePolicy, stateDatabaseFile } from './worker-config';
import type { WorkerHome } from './worker-home';

/** The worker on one machine: the data folder's object store and its SQLite queue, dead-letter queue and job store. */
export function openLocalWorkerHome(config: WorkerConfig): WorkerHome {
  const db = openStateDatabase(stateDatabaseFile(config.dataDir));
  const policy = analysisQueuePolicy(config);
  return {
    kind: 'local',
    // The worker never signs URLs; the store requires a secret, so it gets one nobody knows.
    objects: new LocalFolderObjectStore({ rootDir: config.dataDir, signedUrlBase: 'http://127.0.0.1', signingSecret: randomBytes(32).toString('hex') }),
    queue: new SqliteJobQueue(db, { name: ANALYSIS_QUEUE_NAME, policy, deadLetterQueueName: ANALYSIS_DEAD_LETTER_QUEUE_NAME }),
    deadLetters: new SqliteJobQueue(db, { name: ANALYSIS_DEAD_LETTER_QUEUE_NAME, policy }),
    jobs: new SqliteJobStore(db),
    close: () => db.close(),
  };
}
