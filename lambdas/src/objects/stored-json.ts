import { type ObjectInfo, type ObjectStore, type PutOptions, RestainError, collectBytes, isRestainError } from '@restain/shared';

/** Longest JSON object read back by default (a drop-folder summary of ~10 000 rows fits). */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

/**
 * Reads a whole object into memory, refusing ones larger than `maxBytes` (objects the platform
 * wrote itself: one too large is an internal fault, never the caller's).
 */
export async function readObjectBytes(objects: ObjectStore, key: string, maxBytes = MAX_JSON_BYTES): Promise<{ bytes: Uint8Array; info: ObjectInfo } | undefined> {
  const found = await objects.get(key);
  if (!found) return undefined;
  const bytes = await collectBytes(found.body, {
    maxBytes,
    tooLarge: () => new RestainError('INTERNAL', `Expected ${key} to hold at most ${maxBytes} bytes but it holds more`),
  });
  return { bytes, info: found.info };
}

/** A JSON object and the etag it was read at (for compare-and-swap writes). */
export interface StoredJson<T> {
  readonly value: T;
  readonly etag: string;
}

export async function readJson<T>(objects: ObjectStore, key: string, maxBytes = MAX_JSON_BYTES): Promise<StoredJson<T> | undefined> {
  const found = await readObjectBytes(objects, key, maxBytes);
  if (!found) return undefined;
  try {
    return { value: JSON.parse(new TextDecoder().decode(found.bytes)) as T, etag: found.info.etag };
  } catch (error) {
    throw new RestainError('INTERNAL', `Expected JSON in ${key} but it does not parse: ${(error as Error).message}`);
  }
}

export function writeJson(objects: ObjectStore, key: string, value: unknown, options: PutOptions = {}): Promise<ObjectInfo> {
  return objects.put(key, new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`), { contentType: 'application/json', ...options });
}

/** True for the error a create-only or if-match write gets when someone else wrote first. */
export function isPreconditionFailed(error: unknown): boolean {
  return isRestainError(error) && error.code === 'PRECONDITION_FAILED';
}

const MAX_CAS_ATTEMPTS = 20;

/**
 * Read-modify-write one JSON object with compare-and-swap (create-only when absent), retrying when
 * another writer got there first. `change` returns the new value, or undefined to leave it as is.
 */
export async function updateJson<T>(
  objects: ObjectStore,
  key: string,
  change: (current: T | undefined) => T | undefined,
): Promise<StoredJson<T> | undefined> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const current = await readJson<T>(objects, key);
    const next = change(current?.value);
    if (next === undefined) return current;
    try {
      const info = await writeJson(objects, key, next, current ? { ifMatch: current.etag } : { ifNoneMatch: '*' });
      return { value: next, etag: info.etag };
    } catch (error) {
      if (!isPreconditionFailed(error)) throw error;
    }
  }
  throw new RestainError('UNAVAILABLE', `${key} is being updated by too many writers at once; try again`);
}
