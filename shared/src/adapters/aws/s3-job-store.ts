import { RestainError, isRestainError } from '../../errors';
import { isJobId } from '../../jobs/job-message';
import type { JobRecord, JobState } from '../../jobs/job-record';
import { collectBytes } from '../../ports/collect-bytes';
import type { JobPage, JobStore, VersionedJob } from '../../ports/job-store';
import type { ObjectInfo, ObjectStore } from '../../ports/object-store';
import {
  QUEUED_INDEX_PREFIX,
  decodeOwnerCursor,
  encodeOwnerCursor,
  indexKeysOf,
  jobRecordKey,
  ownerIndexKey,
  ownerIndexPrefix,
  parseIndexEntry,
  possibleIndexKeysOf,
  stateIndexKey,
  stateIndexPrefix,
  timeKey,
} from './job-index-keys';
import { JobIndexWriter, mapWithLimit } from './job-index-writer';

export interface S3JobStoreOptions {
  /** Index entries that disagree with their record are deleted once older than this (default 5 min): a younger one may belong to a write in progress. */
  readonly staleIndexGraceMs?: number;
  /** Records read at once when a list checks its index entries (default 16). */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

const MAX_PAGE = 1000;
/** Records remembered by version, so a replace right after a get knows which index entries to move. */
const CACHE_SIZE = 500;

function assertLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a page limit from 1 to ${MAX_PAGE} but received ${limit}`);
  }
}

function assertRecord(record: JobRecord): void {
  if (!isJobId(record.id)) throw new RestainError('INVALID_ARGUMENT', `Expected a UUIDv4 job id but received ${JSON.stringify(String(record.id).slice(0, 80))}`);
  indexKeysOf(record); // validates the times the keys are made of
}

interface Found {
  readonly record: JobRecord;
  readonly entryKey: string;
}

/**
 * JobStore on an ObjectStore (S3 in production): one JSON object per job, written with S3
 * conditional writes (create: If-None-Match *; replace: If-Match on the ETag, which is the
 * version), so S3 decides every compare-and-swap. Lists walk index objects (job-index-keys.ts)
 * kept by JobIndexWriter (put before the record write, settle after it) and check each entry
 * against its record: a list never returns a record outside the listed state or owner; entries
 * that disagree are skipped, and settled away once older than the grace period (younger ones may
 * belong to a write in progress).
 * Guarantees: CAS is exact; a record is listed by its owner and state as soon as its write
 * returns; once writers finish, the index matches the records exactly. countQueuedBefore counts
 * queued-index entries without reading records (one LIST per 1000 queued jobs): exact except
 * while transitions are in flight, or when a writer died between its record write and its settle
 * (its entry counts until the job's next transition or deletion).
 */
export class S3JobStore implements JobStore {
  private readonly objects: ObjectStore;
  private readonly index: JobIndexWriter;
  private readonly graceMs: number;
  private readonly concurrency: number;
  private readonly now: () => Date;
  private readonly byVersion = new Map<string, JobRecord>();

  constructor(objects: ObjectStore, options: S3JobStoreOptions = {}) {
    this.objects = objects;
    this.graceMs = options.staleIndexGraceMs ?? 5 * 60_000;
    this.concurrency = options.concurrency ?? 16;
    this.now = options.now ?? (() => new Date());
    this.index = new JobIndexWriter(objects, { read: (jobId) => this.get(jobId), version: async (jobId) => (await objects.head(jobRecordKey(jobId)))?.etag }, this.concurrency);
  }

  async create(record: JobRecord): Promise<VersionedJob> {
    assertRecord(record);
    const keys = indexKeysOf(record);
    await this.index.add(keys);
    let info: ObjectInfo;
    try {
      info = await this.objects.put(jobRecordKey(record.id), this.encode(record), { ifNoneMatch: '*', contentType: 'application/json' });
    } catch (error) {
      if (!(isRestainError(error) && error.code === 'PRECONDITION_FAILED')) throw error;
      await this.index.settle(record.id, keys).catch(() => undefined); // the existing record keeps what it needs
      throw new RestainError('CONFLICT', `Expected a new job id but job ${record.id} already exists`, { cause: error });
    }
    return this.remember(record, info.etag);
  }

  async get(jobId: string): Promise<VersionedJob | undefined> {
    if (!isJobId(jobId)) return undefined;
    const found = await this.objects.get(jobRecordKey(jobId));
    if (!found) return undefined;
    const text = new TextDecoder().decode(await collectBytes(found.body));
    let record: JobRecord;
    try {
      record = JSON.parse(text) as JobRecord;
    } catch (error) {
      throw new RestainError('INTERNAL', `Expected job ${jobId} to be stored as JSON but it starts ${JSON.stringify(text.slice(0, 40))}`, { cause: error });
    }
    return this.remember(record, found.info.etag);
  }

  async replace(record: JobRecord, expectedVersion: string): Promise<VersionedJob> {
    assertRecord(record);
    const before = this.byVersion.get(`${record.id}|${expectedVersion}`) ?? (await this.currentAt(record.id, expectedVersion));
    const oldKeys = indexKeysOf(before);
    const newKeys = indexKeysOf(record);
    const moves = oldKeys.join('\n') !== newKeys.join('\n');
    if (moves) await this.index.add(newKeys.filter((key) => !oldKeys.includes(key)));
    // Everything the job's entries could be, leftovers of writers that died included.
    const settle = (): Promise<void> => this.index.settle(record.id, [...newKeys, ...possibleIndexKeysOf(before), ...possibleIndexKeysOf(record)]);
    let info: ObjectInfo;
    try {
      info = await this.objects.put(jobRecordKey(record.id), this.encode(record), { ifMatch: expectedVersion, contentType: 'application/json' });
    } catch (error) {
      if (!(isRestainError(error) && error.code === 'PRECONDITION_FAILED')) throw error;
      if (moves) await settle().catch(() => undefined);
      const exists = await this.objects.head(jobRecordKey(record.id));
      if (!exists) throw new RestainError('NOT_FOUND', `Expected job ${record.id} to exist but it does not (deleted?)`, { cause: error });
      throw new RestainError('CONFLICT', `Expected job ${record.id} at version ${expectedVersion} but it is at ${exists.etag}: re-read and retry`, { cause: error });
    }
    if (moves) await settle();
    return this.remember(record, info.etag);
  }

  async delete(jobId: string): Promise<void> {
    const current = await this.get(jobId);
    if (!current) return;
    await this.objects.delete(jobRecordKey(jobId));
    await mapWithLimit(possibleIndexKeysOf(current.record), this.concurrency, (key) => this.objects.delete(key));
  }

  async listByOwner(owner: string, options: { readonly limit: number; readonly cursor?: string }): Promise<JobPage> {
    assertLimit(options.limit);
    const prefix = ownerIndexPrefix(owner);
    const startAfter = options.cursor === undefined ? undefined : decodeOwnerCursor(options.cursor, prefix);
    const found = await this.scan(prefix, startAfter, options.limit + 1, () => false, (record, key) => record.owner === owner && ownerIndexKey(record) === key);
    const jobs = found.slice(0, options.limit);
    return found.length > options.limit ? { jobs: jobs.map((f) => f.record), nextCursor: encodeOwnerCursor(jobs[jobs.length - 1].entryKey, prefix) } : { jobs: jobs.map((f) => f.record) };
  }

  async listByState(state: JobState, options: { readonly limit: number; readonly createdBefore?: string }): Promise<readonly JobRecord[]> {
    assertLimit(options.limit);
    const bound = options.createdBefore === undefined ? undefined : timeKey(options.createdBefore, 'createdBefore');
    const prefix = stateIndexPrefix(state);
    const found = await this.scan(prefix, undefined, options.limit, (time) => bound !== undefined && time >= bound, (record, key) => record.state === state && stateIndexKey(record) === key);
    return found.map((f) => f.record);
  }

  async countQueuedBefore(queuedAt: string): Promise<number> {
    const bound = timeKey(queuedAt, 'queuedAt');
    let count = 0;
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.objects.list(QUEUED_INDEX_PREFIX, { startAfter, limit: MAX_PAGE });
      for (const object of page.objects) {
        const entry = parseIndexEntry(object.key, QUEUED_INDEX_PREFIX);
        if (!entry) continue;
        if (entry.time >= bound) return count;
        count++;
      }
      if (!page.nextStartAfter) return count;
      startAfter = page.nextStartAfter;
    }
  }

  /**
   * Walks index entries under `prefix` in key order until `want` records passed `accepts` (or
   * `stop` says the times ran past a bound), reading each entry's record to check it.
   */
  private async scan(prefix: string, startAfter: string | undefined, want: number, stop: (time: string) => boolean, accepts: (record: JobRecord, entryKey: string) => boolean): Promise<Found[]> {
    const found: Found[] = [];
    let after = startAfter;
    for (;;) {
      const page = await this.objects.list(prefix, { startAfter: after, limit: Math.min(MAX_PAGE, Math.max(want - found.length, 8)) });
      const entries = page.objects.flatMap((object) => {
        const entry = parseIndexEntry(object.key, prefix);
        return entry ? [{ object, ...entry }] : [];
      });
      const inBounds = entries.filter((entry) => !stop(entry.time));
      const records = await mapWithLimit(inBounds, this.concurrency, async (entry) => (await this.get(entry.jobId))?.record);
      for (const [i, entry] of inBounds.entries()) {
        const record = records[i];
        if (record && accepts(record, entry.object.key)) {
          found.push({ record, entryKey: entry.object.key });
          if (found.length === want) return found;
        } else if (this.now().getTime() - entry.object.lastModified.getTime() > this.graceMs) {
          await this.index.settle(entry.jobId, [entry.object.key]).catch(() => undefined);
        }
      }
      if (inBounds.length < entries.length || !page.nextStartAfter) return found;
      after = page.nextStartAfter;
    }
  }

  /** The record at `version`, read from the store: NOT_FOUND when absent, CONFLICT when moved on. */
  private async currentAt(jobId: string, version: string): Promise<JobRecord> {
    const current = await this.get(jobId);
    if (!current) throw new RestainError('NOT_FOUND', `Expected job ${jobId} to exist but it does not (deleted?)`);
    if (current.version !== version) throw new RestainError('CONFLICT', `Expected job ${jobId} at version ${version} but it is at ${current.version}: re-read and retry`);
    return current.record;
  }

  private encode(record: JobRecord): Uint8Array {
    return Buffer.from(JSON.stringify(record), 'utf8');
  }

  private remember(record: JobRecord, version: string): VersionedJob {
    this.byVersion.delete(`${record.id}|${version}`);
    this.byVersion.set(`${record.id}|${version}`, record);
    if (this.byVersion.size > CACHE_SIZE) this.byVersion.delete(this.byVersion.keys().next().value as string);
    return { record, version };
  }
}
