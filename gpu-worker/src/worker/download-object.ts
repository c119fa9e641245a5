import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ObjectStore, RestainError } from '@restain/shared';

/** Stream one object to a local file; INPUT_NOT_FOUND when the object is absent (never retried). */
export async function downloadObject(objects: ObjectStore, key: string, file: string, signal?: AbortSignal): Promise<number> {
  const object = await objects.get(key);
  if (!object) throw new RestainError('INPUT_NOT_FOUND', `Expected the job's input at ${key} but the object store has no such object`);
  await pipeline(Readable.from(object.body), createWriteStream(file), { signal });
  return object.info.sizeBytes;
}
