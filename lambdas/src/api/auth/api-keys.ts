import { createHash, randomBytes } from 'node:crypto';
import { type ObjectStore, RestainError } from '@restain/shared';
import { readJson } from '../../objects/stored-json';

/** Where key records live in the object store (both homes): `api-keys/<sha256 of the key>.json`. */
export const API_KEYS_PREFIX = 'api-keys/';

/** `rk_` + 32 random bytes in base64url (43 characters). */
const KEY_PATTERN = /^rk_[A-Za-z0-9_-]{43}$/;
const MAX_RECORD_BYTES = 4096;

/** What is stored for a key: never the key itself, only its hash (as the object's name). */
export interface ApiKeyRecord {
  /** Owner id stamped on the key's jobs (`key_...`); safe to show and log. */
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

export function isApiKeyFormat(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** sha256 (hex) of a key: its name in the store. A fast hash suffices: keys carry 256 random bits. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function recordKey(hash: string): string {
  return `${API_KEYS_PREFIX}${hash}.json`;
}

async function readRecord(objects: ObjectStore, key: string): Promise<ApiKeyRecord | undefined> {
  return (await readJson<ApiKeyRecord>(objects, key, MAX_RECORD_BYTES))?.value;
}

/** Creates a key; the plain key is returned once and never stored. */
export async function createApiKey(objects: ObjectStore, name: string, now: Date = new Date()): Promise<{ id: string; key: string }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100 || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected a key name of 1 to 100 printable characters but received ${JSON.stringify(name)}`);
  }
  const key = `rk_${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = { id: `key_${randomBytes(9).toString('base64url')}`, name: trimmed, createdAt: now.toISOString() };
  await objects.put(recordKey(hashApiKey(key)), new TextEncoder().encode(JSON.stringify(record)), {
    ifNoneMatch: '*',
    contentType: 'application/json',
  });
  return { id: record.id, key };
}

/** The record of a presented key, or undefined when it is malformed or unknown. */
export async function findApiKey(objects: ObjectStore, key: string): Promise<ApiKeyRecord | undefined> {
  if (!isApiKeyFormat(key)) return undefined;
  return readRecord(objects, recordKey(hashApiKey(key)));
}

async function listRecords(objects: ObjectStore): Promise<{ objectKey: string; record: ApiKeyRecord }[]> {
  const found: { objectKey: string; record: ApiKeyRecord }[] = [];
  let startAfter: string | undefined;
  do {
    const page = await objects.list(API_KEYS_PREFIX, { startAfter, limit: 1000 });
    for (const info of page.objects) {
      const record = await readRecord(objects, info.key);
      if (record) found.push({ objectKey: info.key, record });
    }
    startAfter = page.nextStartAfter;
  } while (startAfter !== undefined);
  return found;
}

/** Every key's record (never the keys), oldest first. */
export async function listApiKeys(objects: ObjectStore): Promise<ApiKeyRecord[]> {
  const records = (await listRecords(objects)).map((entry) => entry.record);
  return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** Deletes the key with this id; false when there is none. Servers notice within their cache time (10 s). */
export async function revokeApiKey(objects: ObjectStore, id: string): Promise<boolean> {
  const entry = (await listRecords(objects)).find((candidate) => candidate.record.id === id);
  if (!entry) return false;
  await objects.delete(entry.objectKey);
  return true;
}
