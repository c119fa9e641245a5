import { RestainError } from '../../errors';
import type { JobRecord, JobState } from '../../jobs/job-record';
import type { JobPage, JobStore, VersionedJob } from '../../ports/job-store';
import type { StateDatabase } from './state-database';

/** Most records one list call returns. */
const MAX_PAGE = 1000;

interface JobRow {
  record: string;
  version: number;
}

function assertLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a page limit from 1 to ${MAX_PAGE} but received ${limit}`);
  }
}

/** Opaque list cursor: base64url of `createdAt|id` of the last record returned. */
function encodeCursor(record: JobRecord): string {
  return Buffer.from(`${record.createdAt}|${record.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar <= 0 || bar === text.length - 1 || Buffer.from(text, 'utf8').toString('base64url') !== cursor) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a cursor from a previous page but received ${JSON.stringify(cursor.slice(0, 80))}`);
  }
  return { createdAt: text.slice(0, bar), id: text.slice(bar + 1) };
}

/**
 * JobStore on the state database: one row per job with the record as JSON beside the columns the
 * lists filter on. Compare-and-swap is `UPDATE ... WHERE version = ?`: atomic across processes.
 */
export class SqliteJobStore implements JobStore {
  private readonly sql;

  constructor(db: StateDatabase) {
    this.sql = {
      insert: db.prepare(`INSERT INTO jobs (id, owner, state, created_at, queued_at, version, record)
        VALUES (@id, @owner, @state, @createdAt, @queuedAt, 1, @record) ON CONFLICT (id) DO NOTHING`),
      get: db.prepare('SELECT record, version FROM jobs WHERE id = ?'),
      update: db.prepare(`UPDATE jobs SET owner = @owner, state = @state, created_at = @createdAt, queued_at = @queuedAt,
        record = @record, version = version + 1 WHERE id = @id AND version = @expected`),
      version: db.prepare('SELECT version FROM jobs WHERE id = ?').pluck(),
      remove: db.prepare('DELETE FROM jobs WHERE id = ?'),
      firstOwnerPage: db.prepare('SELECT record FROM jobs WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT ?').pluck(),
      nextOwnerPage: db.prepare(`SELECT record FROM jobs WHERE owner = @owner AND (created_at < @createdAt OR (created_at = @createdAt AND id < @id))
        ORDER BY created_at DESC, id DESC LIMIT @limit`).pluck(),
      byState: db.prepare('SELECT record FROM jobs WHERE state = ? AND created_at < ? ORDER BY created_at, id LIMIT ?').pluck(),
      queuedBefore: db.prepare("SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND queued_at < ?").pluck(),
    };
  }

  async create(record: JobRecord): Promise<VersionedJob> {
    if (this.sql.insert.run(columns(record)).changes === 0) {
      throw new RestainError('CONFLICT', `Expected a new job id but job ${record.id} already exists`);
    }
    return { record, version: '1' };
  }

  async get(jobId: string): Promise<VersionedJob | undefined> {
    const row = this.sql.get.get(jobId) as JobRow | undefined;
    return row ? { record: JSON.parse(row.record) as JobRecord, version: String(row.version) } : undefined;
  }

  async replace(record: JobRecord, expectedVersion: string): Promise<VersionedJob> {
    const expected = /^\d{1,15}$/.test(expectedVersion) ? Number(expectedVersion) : NaN;
    if (Number.isNaN(expected)) throw new RestainError('INVALID_ARGUMENT', `Expected a job version from get() but received ${JSON.stringify(expectedVersion)}`);
    if (this.sql.update.run({ ...columns(record), expected }).changes === 0) {
      const current = this.sql.version.get(record.id) as number | undefined;
      if (current === undefined) throw new RestainError('NOT_FOUND', `Expected job ${record.id} to exist but it does not (deleted?)`);
      throw new RestainError('CONFLICT', `Expected job ${record.id} at version ${expected} but it is at version ${current}: re-read and retry`);
    }
    return { record, version: String(expected + 1) };
  }

  async delete(jobId: string): Promise<void> {
    this.sql.remove.run(jobId);
  }

  async listByOwner(owner: string, options: { readonly limit: number; readonly cursor?: string }): Promise<JobPage> {
    assertLimit(options.limit);
    const rows = (options.cursor === undefined
      ? this.sql.firstOwnerPage.all(owner, options.limit + 1)
      : this.sql.nextOwnerPage.all({ owner, ...decodeCursor(options.cursor), limit: options.limit + 1 })) as string[];
    const jobs = rows.slice(0, options.limit).map((text) => JSON.parse(text) as JobRecord);
    return rows.length > options.limit ? { jobs, nextCursor: encodeCursor(jobs[jobs.length - 1]) } : { jobs };
  }

  async listByState(state: JobState, options: { readonly limit: number; readonly createdBefore?: string }): Promise<readonly JobRecord[]> {
    assertLimit(options.limit);
    // '~' sorts after every ISO-8601 time, so no bound means all of them.
    const rows = this.sql.byState.all(state, options.createdBefore ?? '~', options.limit) as string[];
    return rows.map((text) => JSON.parse(text) as JobRecord);
  }

  async countQueuedBefore(queuedAt: string): Promise<number> {
    return this.sql.queuedBefore.get(queuedAt) as number;
  }
}

function columns(record: JobRecord): Record<string, string | null> {
  return {
    id: record.id,
    owner: record.owner,
    state: record.state,
    createdAt: record.createdAt,
    queuedAt: record.queuedAt ?? null,
    record: JSON.stringify(record),
  };
}
