import { createHash } from 'node:crypto';
import { RestainError } from '../../errors';
import { JOB_STATES, type JobRecord, type JobState } from '../../jobs/job-record';

/**
 * Object keys of the S3 job store. A record is `jobs/{id}.json`; three kinds of empty index
 * objects make the lists O(page) with ListObjectsV2's lexicographic order:
 *   job-index/owner/{sha256(owner)[:32]}/{inverted createdAt ms}-{id}   newest first per owner
 *   job-index/state/{state}/{createdAt ms}-{id}                          oldest first per state
 *   job-index/queued/{queuedAt ms}-{id}                                  queue position (queued jobs only)
 * Times are 13-digit zero-padded epoch milliseconds (inverted: 9999999999999 - ms), so
 * lexicographic order is time order until the year 2286.
 */
export const JOB_RECORD_PREFIX = 'jobs/';
export const JOB_INDEX_PREFIX = 'job-index/';
const MAX_MS = 9_999_999_999_999;
const ENTRY = /^(\d{13})-(.+)$/;

export function jobRecordKey(jobId: string): string {
  return `${JOB_RECORD_PREFIX}${jobId}.json`;
}

/** Epoch milliseconds of an ISO time as a sortable 13-digit string; INVALID_ARGUMENT when unusable. */
export function timeKey(iso: string, field: string): string {
  const ms = Date.parse(iso);
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) {
    throw new RestainError('INVALID_ARGUMENT', `Expected ${field} to be an ISO-8601 time between 1970 and 2286 but received ${JSON.stringify(iso)}`);
  }
  return String(ms).padStart(13, '0');
}

function invertedTimeKey(iso: string, field: string): string {
  return String(MAX_MS - Number(timeKey(iso, field))).padStart(13, '0');
}

export function ownerIndexPrefix(owner: string): string {
  return `${JOB_INDEX_PREFIX}owner/${createHash('sha256').update(owner, 'utf8').digest('hex').slice(0, 32)}/`;
}

export function stateIndexPrefix(state: JobState): string {
  return `${JOB_INDEX_PREFIX}state/${state}/`;
}

export const QUEUED_INDEX_PREFIX = `${JOB_INDEX_PREFIX}queued/`;

export function ownerIndexKey(record: JobRecord): string {
  return `${ownerIndexPrefix(record.owner)}${invertedTimeKey(record.createdAt, 'createdAt')}-${record.id}`;
}

export function stateIndexKey(record: JobRecord, state: JobState = record.state): string {
  return `${stateIndexPrefix(state)}${timeKey(record.createdAt, 'createdAt')}-${record.id}`;
}

function queuedIndexKey(record: JobRecord): string | undefined {
  return record.queuedAt === undefined ? undefined : `${QUEUED_INDEX_PREFIX}${timeKey(record.queuedAt, 'queuedAt')}-${record.id}`;
}

/** The index entries `record` must have. */
export function indexKeysOf(record: JobRecord): string[] {
  const queued = record.state === 'queued' ? queuedIndexKey(record) : undefined;
  return [ownerIndexKey(record), stateIndexKey(record), ...(queued ? [queued] : [])];
}

/**
 * Every index entry `record`'s job could have had (its owner entry, an entry in each state, its
 * queued entry): what a transition clears, so leftovers of a writer that died are gone by the
 * job's next transition.
 */
export function possibleIndexKeysOf(record: JobRecord): string[] {
  const queued = queuedIndexKey(record);
  return [ownerIndexKey(record), ...JOB_STATES.map((state) => stateIndexKey(record, state)), ...(queued ? [queued] : [])];
}

/** The time (13 digits) and job id of an index entry under `prefix`, or undefined for a foreign key. */
export function parseIndexEntry(key: string, prefix: string): { readonly time: string; readonly jobId: string } | undefined {
  const match = key.startsWith(prefix) ? ENTRY.exec(key.slice(prefix.length)) : null;
  return match ? { time: match[1], jobId: match[2] } : undefined;
}

/** Opaque listByOwner cursor: the last entry's name under the owner prefix, base64url. */
export function encodeOwnerCursor(entryKey: string, prefix: string): string {
  return Buffer.from(entryKey.slice(prefix.length), 'utf8').toString('base64url');
}

export function decodeOwnerCursor(cursor: string, prefix: string): string {
  const text = typeof cursor === 'string' ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (!ENTRY.test(text) || text.includes('/') || Buffer.from(text, 'utf8').toString('base64url') !== cursor) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a cursor from a previous page but received ${JSON.stringify(String(cursor).slice(0, 80))}`);
  }
  return `${prefix}${text}`;
}
