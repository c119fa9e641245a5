import type { BigIntStats } from 'node:fs';
import * as path from 'node:path';
import { RestainError } from '../../errors';
import { assertObjectKey } from '../../ports/object-key';
import type { ObjectInfo } from '../../ports/object-store';

/** Folder under the root holding in-progress writes: same filesystem (so rename is atomic), never listed. */
export const TEMP_DIR_NAME = '.tmp';

const CONTENT_TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', tif: 'image/tiff', tiff: 'image/tiff', webp: 'image/webp',
  json: 'application/json', geojson: 'application/geo+json', csv: 'text/csv', txt: 'text/plain', zip: 'application/zip',
};

/** The file holding `key`: validated, never `.tmp/...`, and provably inside `rootDir`. */
export function resolveKeyPath(rootDir: string, key: string): string {
  assertObjectKey(key);
  const segments = key.split('/');
  if (segments[0] === TEMP_DIR_NAME) {
    throw new RestainError('INVALID_ARGUMENT', `Expected an object key outside the reserved ${TEMP_DIR_NAME}/ folder but received ${JSON.stringify(key)}`);
  }
  const file = path.join(rootDir, ...segments);
  const relative = path.relative(rootDir, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new RestainError('INVALID_ARGUMENT', `Expected an object key inside the store but ${JSON.stringify(key)} resolves to ${file}`);
  }
  return file;
}

/**
 * Version tag of a stored file. Every write makes a new inode (temp file + link/rename) and stamps
 * a per-process strictly increasing microsecond mtime, so two versions of a key never share a tag
 * within a process; across processes a clash needs a reused inode, equal size and equal microsecond.
 */
export function etagOf(stats: BigIntStats): string {
  return `${stats.ino.toString(36)}-${stats.mtimeNs.toString(36)}-${stats.size.toString(36)}`;
}

/** Content type implied by the key's extension (a folder keeps no metadata beside the bytes). */
export function contentTypeForKey(key: string): string | undefined {
  const dot = key.lastIndexOf('.');
  return dot > key.lastIndexOf('/') ? CONTENT_TYPES[key.slice(dot + 1).toLowerCase()] : undefined;
}

export function objectInfo(key: string, stats: BigIntStats): ObjectInfo {
  const contentType = contentTypeForKey(key);
  return {
    key,
    sizeBytes: Number(stats.size),
    etag: etagOf(stats),
    lastModified: new Date(Number(stats.mtimeNs / 1_000_000n)),
    ...(contentType ? { contentType } : {}),
  };
}

let lastStampMicros = 0;

/** A modification time (seconds) later than any this process stamped before: keeps etags unique. */
export function nextWriteStamp(now: number): number {
  lastStampMicros = Math.max(now * 1000, lastStampMicros + 1);
  // libuv truncates to whole microseconds; half a microsecond keeps double rounding from sliding down one.
  return (lastStampMicros + 0.5) / 1e6;
}

/** True for errno codes meaning "the disk (or this process's file size limit) is full". */
export function isOutOfSpace(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG';
}

export function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
