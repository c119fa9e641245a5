import { createHash } from 'node:crypto';
import type { ObjectInfo, ObjectStore } from '@restain/shared';
import { isPreconditionFailed, readJson, writeJson } from '../objects/stored-json';

/**
 * The drop folder's ledger: small JSON objects in the same object store, so the local folder and
 * S3 keep it alike and no second database is needed. Two kinds of entries:
 * - claims/<sha256(key, size, etag)>.json: written create-only before a job exists, so two
 *   scanners (or an S3 event delivered twice, or a restart) never make two jobs of one dropped
 *   file version. Never rewritten.
 * - pending/<jobId>.json: the delivery to-do list, deleted once the outbox holds the outcome; a
 *   listing of this prefix is all the delivery loop reads, however many drops came before.
 */
export const DROP_LEDGER_PREFIX = 'drop-ledger/';
const CLAIMS_PREFIX = `${DROP_LEDGER_PREFIX}claims/`;
export const PENDING_PREFIX = `${DROP_LEDGER_PREFIX}pending/`;
export const FOLDERS_PREFIX = `${DROP_LEDGER_PREFIX}folders/`;

/** One dropped file version turned into a job. */
export interface DropClaim {
  readonly jobId: string;
  readonly inboxKey: string;
  readonly dropPath: string;
  readonly sizeBytes: number;
  readonly etag: string;
  /** ISO time; a newer claim of the same path supersedes an older one in the outbox. */
  readonly claimedAt: string;
}

/** A delivery to-do entry: the claim, and whether its job record was created (so a missing record means deleted). */
export interface PendingDrop extends DropClaim {
  readonly jobCreated?: boolean;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Identity of one version of a dropped file: the same key rewritten is a new version. */
export function dropIdentity(info: Pick<ObjectInfo, 'key' | 'sizeBytes' | 'etag'>): string {
  return `${info.key}\u0000${info.sizeBytes}\u0000${info.etag}`;
}

export function claimKey(info: Pick<ObjectInfo, 'key' | 'sizeBytes' | 'etag'>): string {
  return `${CLAIMS_PREFIX}${sha256Hex(dropIdentity(info))}.json`;
}

export function pendingKey(jobId: string): string {
  return `${PENDING_PREFIX}${jobId}.json`;
}

/**
 * Claim a dropped file version for `proposed.jobId`. Returns the claim that holds: ours when we
 * wrote first, or the earlier one (with its job id) when another scanner or run got there first.
 */
export async function claimDrop(objects: ObjectStore, proposed: DropClaim): Promise<{ claim: DropClaim; created: boolean }> {
  const key = claimKey({ key: proposed.inboxKey, sizeBytes: proposed.sizeBytes, etag: proposed.etag });
  try {
    await writeJson(objects, key, proposed, { ifNoneMatch: '*' });
    return { claim: proposed, created: true };
  } catch (error) {
    if (!isPreconditionFailed(error)) throw error;
  }
  const existing = await readJson<DropClaim>(objects, key);
  if (!existing) throw new Error(`Drop claim ${key} was reported as existing but cannot be read`);
  return { claim: existing.value, created: false };
}

/** Put a job on the delivery to-do list, or update its entry (idempotent). */
export async function writePending(objects: ObjectStore, entry: PendingDrop): Promise<void> {
  await writeJson(objects, pendingKey(entry.jobId), entry);
}

/** Job ids on the delivery to-do list, one store page at a time (the entries are read only when needed). */
export async function* listPendingJobIds(objects: ObjectStore): AsyncGenerator<string> {
  let startAfter: string | undefined;
  do {
    const page = await objects.list(PENDING_PREFIX, { startAfter, limit: 1000 });
    for (const { key } of page.objects) {
      if (key.endsWith('.json')) yield key.slice(PENDING_PREFIX.length, -'.json'.length);
    }
    startAfter = page.nextStartAfter;
  } while (startAfter);
}

export async function readPending(objects: ObjectStore, jobId: string): Promise<PendingDrop | undefined> {
  return (await readJson<PendingDrop>(objects, pendingKey(jobId)))?.value;
}

export async function removePending(objects: ObjectStore, jobId: string): Promise<void> {
  await objects.delete(pendingKey(jobId));
}
