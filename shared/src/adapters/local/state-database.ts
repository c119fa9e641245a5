import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { RestainError } from '../../errors';

/** The SQLite database holding the local queue and job records (one file, shared by processes). */
export type StateDatabase = Database.Database;

/** Wait this long for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/** Schema steps in order; step i takes the database to version i + 1. Append only. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE queue_messages (
     id TEXT PRIMARY KEY,
     queue TEXT NOT NULL,
     body TEXT NOT NULL,
     sent_at INTEGER NOT NULL,          -- ms since epoch; retention counts from here (SQS, DLQ too)
     visible_at INTEGER NOT NULL,       -- ms: receivable from this time on
     receive_count INTEGER NOT NULL DEFAULT 0,
     receipt TEXT,                      -- handle of the latest receive; older handles are stale
     moved_at INTEGER,                  -- ms: when it was moved to this (dead-letter) queue
     moved_from TEXT
   );
   CREATE INDEX queue_messages_ready ON queue_messages (queue, visible_at);
   CREATE INDEX queue_messages_age ON queue_messages (queue, sent_at);
   CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     state TEXT NOT NULL,
     created_at TEXT NOT NULL,          -- ISO-8601 (UTC, toISOString): sorts as text
     queued_at TEXT,
     version INTEGER NOT NULL,
     record TEXT NOT NULL               -- the JobRecord as JSON
   );
   CREATE INDEX jobs_by_owner ON jobs (owner, created_at DESC, id DESC);
   CREATE INDEX jobs_by_state ON jobs (state, created_at, id);
   CREATE INDEX jobs_by_queued ON jobs (state, queued_at);`,
];

/**
 * Opens (creating if needed) the state database. WAL lets readers run beside one writer across
 * processes; synchronous=NORMAL in WAL mode keeps every committed transaction through a process
 * crash (kill -9) and may lose only the last ones on power loss or an OS crash. The schema is
 * brought up to date inside one write transaction, so processes starting together agree.
 */
export function openStateDatabase(file: string): StateDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

function migrate(db: StateDatabase): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new RestainError('UNAVAILABLE', `Expected a state database at schema version ${MIGRATIONS.length} or older but ${db.name} is at ${current}: it was written by newer code`);
    }
    for (let step = current; step < MIGRATIONS.length; step++) db.exec(MIGRATIONS[step]);
    if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
    else if (current < MIGRATIONS.length) db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
  }).immediate();
}
