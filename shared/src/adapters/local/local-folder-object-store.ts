import type { BigIntStats } from 'node:fs';
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { RestainError } from '../../errors';
import { assertObjectKey } from '../../ports/object-key';
import type { ListPage, ObjectBody, ObjectInfo, ObjectStore, PresignOptions, PutOptions } from '../../ports/object-store';
import { TEMP_DIR_NAME, errnoCode, etagOf, isOutOfSpace, objectInfo, resolveKeyPath } from './folder-paths';
import { KeyedMutex } from './keyed-mutex';
import { walkKeys } from './list-folder';
import { type SignedMethod, type SignedRequestGrant, createSignedUrl, verifySignedUrl } from './signed-url';
import { removeAbandonedTempFiles, writeTempFile } from './write-temp-file';

export interface LocalFolderObjectStoreOptions {
  /** Folder holding the objects (the data folder: inbox/ and outbox/ are keys in it). */
  readonly rootDir: string;
  /** Origin (and optional path) of the server that answers `/api/objects/...` signed URLs. */
  readonly signedUrlBase: string;
  /** HMAC key of signed URLs. */
  readonly signingSecret: string;
}

/** S3 ListObjectsV2's page limit. */
const MAX_LIST_LIMIT = 1000;
const GONE = new Set(['ENOENT', 'ENOTDIR']);

/**
 * ObjectStore over a local folder: one file per key. Writes go to `<root>/.tmp/`, are fsynced, then
 * appear at once: create-only via link (atomic across processes: exactly one creator wins),
 * replace via rename. Conditional replaces (ifMatch) check and rename under a per-key lock that
 * covers this process only: between processes sharing the folder, create-only is exact, while a
 * replace racing another process's replace of the same key is last-writer-wins. Content types are
 * not stored; they follow from the key's extension. Symbolic links are not objects.
 */
export class LocalFolderObjectStore implements ObjectStore {
  readonly rootDir: string;
  private readonly tempDir: string;
  private readonly signedUrlBase: string;
  private readonly signingSecret: string;
  private readonly locks = new KeyedMutex();

  constructor(options: LocalFolderObjectStoreOptions) {
    if (!options.signingSecret) throw new RestainError('INVALID_ARGUMENT', 'Expected a non-empty signingSecret for signed URLs but received none');
    this.rootDir = path.resolve(options.rootDir);
    this.tempDir = path.join(this.rootDir, TEMP_DIR_NAME);
    this.signedUrlBase = options.signedUrlBase;
    this.signingSecret = options.signingSecret;
  }

  /** The file that holds (or would hold) `key`: lets sharp read an object without a copy. */
  localPath(key: string): string {
    return resolveKeyPath(this.rootDir, key);
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<ObjectInfo> {
    const file = resolveKeyPath(this.rootDir, key);
    if (options.ifNoneMatch !== undefined && options.ifMatch !== undefined) {
      throw new RestainError('INVALID_ARGUMENT', `Expected at most one of ifNoneMatch and ifMatch for ${key} but received both`);
    }
    const temp = await writeTempFile(this.tempDir, key, body);
    try {
      if (options.ifNoneMatch === '*') {
        await this.intoPlace(key, file, () => link(temp.path, file));
      } else {
        await this.locks.run(key, async () => {
          if (options.ifMatch !== undefined) {
            const current = await this.statFile(file);
            if (!current || etagOf(current) !== options.ifMatch) {
              throw new RestainError('PRECONDITION_FAILED', `Expected ${key} at etag ${options.ifMatch} but it is ${current ? `at ${etagOf(current)}` : 'absent'}`);
            }
          }
          await this.intoPlace(key, file, () => rename(temp.path, file));
        });
      }
    } finally {
      await unlink(temp.path).catch(() => undefined); // after link the temp name remains; after rename it is gone
    }
    return objectInfo(key, temp.stats);
  }

  async get(key: string): Promise<{ readonly info: ObjectInfo; readonly body: AsyncIterable<Uint8Array> } | undefined> {
    const file = resolveKeyPath(this.rootDir, key);
    let handle: import('node:fs/promises').FileHandle;
    try {
      // O_NOFOLLOW: a symbolic link dropped into the folder is not an object (list skips it too).
      handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      if (GONE.has(errnoCode(error) ?? '') || errnoCode(error) === 'ELOOP' || errnoCode(error) === 'EISDIR') return undefined;
      throw error;
    }
    const stats = await handle.stat({ bigint: true });
    if (!stats.isFile()) {
      await handle.close();
      return undefined;
    }
    // The open handle pins this version: a concurrent replace does not change what is streamed.
    return { info: objectInfo(key, stats), body: handle.createReadStream() };
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    const stats = await this.statFile(resolveKeyPath(this.rootDir, key));
    return stats ? objectInfo(key, stats) : undefined;
  }

  async list(prefix: string, options: { readonly startAfter?: string; readonly limit?: number } = {}): Promise<ListPage> {
    if (prefix !== '') assertPrefix(prefix);
    const limit = options.limit ?? MAX_LIST_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new RestainError('INVALID_ARGUMENT', `Expected a list limit from 1 to ${MAX_LIST_LIMIT} but received ${limit}`);
    }
    const objects: ObjectInfo[] = [];
    for await (const key of walkKeys(this.rootDir, prefix, options.startAfter ?? '')) {
      if (objects.length === limit) return { objects, nextStartAfter: objects[limit - 1].key };
      const stats = await this.statFile(path.join(this.rootDir, ...key.split('/')));
      if (stats) objects.push(objectInfo(key, stats)); // else deleted since the folder was read
    }
    return { objects };
  }

  async delete(key: string): Promise<void> {
    const file = resolveKeyPath(this.rootDir, key);
    await this.locks.run(key, async () => {
      try {
        await unlink(file);
      } catch (error) {
        if (GONE.has(errnoCode(error) ?? '') || errnoCode(error) === 'EISDIR' || errnoCode(error) === 'EPERM') return;
        throw error;
      }
      // Remove folders the delete left empty; rmdir fails on a non-empty one, which ends the climb.
      for (let dir = path.dirname(file); dir !== this.rootDir && dir.startsWith(this.rootDir + path.sep); dir = path.dirname(dir)) {
        if (!(await rmdir(dir).then(() => true, () => false))) break;
      }
    });
  }

  async presignPut(key: string, options: PresignOptions): Promise<string> {
    return createSignedUrl(this.signedUrlBase, this.signingSecret, 'PUT', key, options, new Date());
  }

  async presignGet(key: string, options: PresignOptions): Promise<string> {
    return createSignedUrl(this.signedUrlBase, this.signingSecret, 'GET', key, options, new Date());
  }

  /** Checks a request made with a URL from presignPut/presignGet; UNAUTHENTICATED when bad or expired. */
  verifySignedRequest(method: SignedMethod, key: string, query: URLSearchParams, now: Date): SignedRequestGrant {
    return verifySignedUrl(this.signingSecret, method, key, query, now);
  }

  /** Deletes temp files of writers that died mid-write (call at startup); returns how many. */
  removeAbandonedTempFiles(): Promise<number> {
    return removeAbandonedTempFiles(this.tempDir);
  }

  private async statFile(file: string): Promise<BigIntStats | undefined> {
    try {
      const stats = await lstat(file, { bigint: true });
      return stats.isFile() ? stats : undefined;
    } catch (error) {
      if (GONE.has(errnoCode(error) ?? '')) return undefined;
      throw error;
    }
  }

  /** Creates the key's folders and runs the link/rename, again if a concurrent delete pruned a folder. */
  private async intoPlace(key: string, file: string, move: () => Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await move();
        return;
      } catch (error) {
        const code = errnoCode(error);
        if (code === 'ENOENT' && attempt < 5) continue;
        if (code === 'EEXIST' && (await this.statFile(file))) {
          throw new RestainError('PRECONDITION_FAILED', `Expected ${key} not to exist (create-only write) but it already exists`);
        }
        if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') {
          throw new RestainError('CONFLICT', `Expected to store ${key} but a folder store cannot hold both a key and keys under it as a folder (${code})`);
        }
        if (isOutOfSpace(error)) throw new RestainError('INSUFFICIENT_STORAGE', `Expected to store ${key} but the disk is full (${code})`, { cause: error });
        throw error;
      }
    }
  }
}

function assertPrefix(prefix: string): void {
  try {
    assertObjectKey(`${prefix}x`); // a prefix is a key with its last segment cut anywhere
  } catch {
    throw new RestainError('INVALID_ARGUMENT', `Expected a key prefix without empty, "." or ".." segments, backslashes or control characters but received ${JSON.stringify(prefix)}`);
  }
}
