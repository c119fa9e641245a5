import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type ObjectInfo, type ObjectStore, RestainError } from '@restain/shared';
import { readObjectBytes } from '../objects/stored-json';

/** Copy one object to a local file (streamed); NOT_FOUND when it is absent. */
export async function downloadObject(objects: ObjectStore, key: string, filePath: string): Promise<void> {
  const object = await objects.get(key);
  if (!object) throw new RestainError('NOT_FOUND', `Result file ${key} is missing from the object store`);
  await pipeline(Readable.from(object.body, { objectMode: false }), createWriteStream(filePath));
}

/** Store a local file at `key`, create-only. */
export async function uploadFile(objects: ObjectStore, key: string, filePath: string, contentType?: string): Promise<ObjectInfo> {
  return objects.put(key, createReadStream(filePath), { ifNoneMatch: '*', contentType });
}

/** Copy an object to another key, create-only, streamed (the ObjectStore port has no server-side copy). */
export async function copyObject(objects: ObjectStore, from: string, to: string, contentType?: string): Promise<ObjectInfo> {
  const object = await objects.get(from);
  if (!object) throw new RestainError('NOT_FOUND', `Result file ${from} is missing from the object store`);
  return objects.put(to, object.body, { ifNoneMatch: '*', contentType: contentType ?? object.info.contentType });
}

/** A whole (small) object as text, at most `maxBytes`. */
export async function readObjectText(objects: ObjectStore, key: string, maxBytes: number): Promise<string> {
  const found = await readObjectBytes(objects, key, maxBytes);
  if (!found) throw new RestainError('NOT_FOUND', `Result file ${key} is missing from the object store`);
  return new TextDecoder().decode(found.bytes);
}

/** Every object under a prefix (all pages). */
export async function listAll(objects: ObjectStore, prefix: string): Promise<ObjectInfo[]> {
  const all: ObjectInfo[] = [];
  let startAfter: string | undefined;
  do {
    const page = await objects.list(prefix, { startAfter });
    all.push(...page.objects);
    startAfter = page.nextStartAfter;
  } while (startAfter !== undefined);
  return all;
}
